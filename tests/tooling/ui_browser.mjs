// Drives the web UI of a running `vigil serve` in headless Chromium (Debian's
// /usr/bin/chromium through Playwright) the way the team and its auditor use it, and reports
// what the browser saw as one JSON object on stdout; tests/server/ui_test.py judges it.
//
//   node ui_browser.mjs BASE_URL PLAN.json SCREENSHOT_DIR
//
// PLAN.json: {"people": {"bob": {"code": "...", "password": "..."}, ...},
//             "report": "path of a scan report to upload", "scanner": "name"}
// Every page load records: status, console errors, dialogs (a script that ran would open
// one), requests to anything but the server itself, and a screenshot.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const [base, planFile, shots] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const out = { steps: {}, pages: [], dialogs: [], console: [], foreign: [], axe: [], errors: [] };

function watch(page, who) {
  page.on('dialog', (d) => { out.dialogs.push(`${who}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('console', (m) => {
    if (m.type() === 'error') out.console.push(`${who}: ${m.text()}`);
  });
  page.on('pageerror', (e) => out.console.push(`${who}: pageerror ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) out.foreign.push(`${who}: ${r.url()}`);
  });
}

async function visit(page, who, path, name) {
  const response = await page.goto(base + path, { waitUntil: 'load' });
  const shot = join(shots, `${who}-${name}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  const forms = await page.$$eval('form', (l) => l.map((f) => ({
    method: (f.getAttribute('method') || 'get').toLowerCase(),
    action: f.getAttribute('action') || '',
    csrf: !!f.querySelector('input[name=csrf]'),
  })));
  const entry = { who, path, name, status: response ? response.status() : 0, forms,
                  title: await page.title(), shot };
  out.pages.push(entry);
  return entry;
}

// axe-core cannot be injected under the page's CSP: a second context bypasses it for the
// accessibility check only, with the same session cookie.
async function axeCheck(context, who, path) {
  const page = await context.newPage();
  await page.goto(base + path, { waitUntil: 'load' });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
                                      help: v.help }));
  });
  out.axe.push({ who, path, violations: result });
  await page.close();
}

async function signIn(page, user, password) {
  await page.goto(base + '/login', { waitUntil: 'load' });
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  return page.url();
}

async function enrol(page, user, code, password) {
  await page.goto(base + '/enrol', { waitUntil: 'load' });
  await page.fill('input[name=user]', user);
  await page.fill('input[name=code]', code);
  await page.fill('input[name=password]', password);
  await page.fill('input[name=password2]', password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/enrol') && r.request().method() === 'POST'),
    page.click('button[type=submit]'),
  ]);
  return response.status();
}

async function csrfOf(page) {
  return page.$eval('input[name=csrf]', (e) => e.value);
}

try {
  const people = {};
  for (const [who, p] of Object.entries(plan.people)) {
    const context = await browser.newContext();
    const page = await context.newPage();
    watch(page, who);
    out.steps[`${who}_enrol`] = await enrol(page, who, p.code, p.password);
    out.steps[`${who}_signed_in_at`] = await signIn(page, who, p.password);
    const cookies = await context.cookies();
    out.steps[`${who}_cookie`] = cookies.find((c) => c.name === 'vigil_session') || null;
    people[who] = { context, page };
  }

  // bob (analyst) uploads a scan through the form.
  const bob = people.bob.page;
  await visit(bob, 'bob', '/upload', 'upload');
  await bob.fill('input[name=scanner]', plan.scanner);
  await bob.setInputFiles('input[name=report]', plan.report);
  const [upload] = await Promise.all([
    bob.waitForResponse((r) => r.url().endsWith('/upload') && r.request().method() === 'POST'),
    bob.click('form[action="/upload"] button[type=submit]'),
  ]);
  out.steps.upload_status = upload.status();
  out.steps.upload_text = await bob.innerText('main');
  await bob.screenshot({ path: join(shots, 'bob-upload-done.png'), fullPage: true });

  // The dashboard's counts, as the page shows them.
  await visit(bob, 'bob', '/', 'dashboard');
  out.steps.dashboard_cards = await bob.$$eval('.card', (l) => l.map((c) => ({
    n: Number(c.querySelector('.n').textContent), label: c.textContent.replace(/^\d+/, '').trim(),
  })));
  out.steps.dashboard_svg = await bob.$$eval('main svg', (l) => l.length);
  out.steps.dashboard_headings = await bob.$$eval('main h2', (l) => l.map((h) => h.textContent));

  // The list, filtered, and a detail page.
  await visit(bob, 'bob', '/vulnerabilities', 'vulnerabilities');
  out.steps.vuln_links = await bob.$$eval('main table a', (l) => l.map((a) => a.getAttribute('href')));
  // Sorting with the form's select, without JavaScript: the form is submitted as a GET.
  await bob.selectOption('select[name=sort]', 'key');
  await Promise.all([bob.waitForNavigation(), bob.click('form[action="/vulnerabilities"] button[type=submit]')]);
  out.steps.sorted_url = bob.url();
  out.steps.sorted_by_key = await bob.$$eval('main table a', (l) => l.map((a) => a.getAttribute('href')));
  await bob.goto(base + '/vulnerabilities?sort=-key', { waitUntil: 'load' });
  out.steps.sorted_by_key_desc = await bob.$$eval('main table a', (l) => l.map((a) => a.getAttribute('href')));
  const hostile = plan.hostile_key;
  await visit(bob, 'bob', '/vulnerabilities/' + encodeURIComponent(hostile), 'vulnerability-hostile');
  out.steps.hostile_text = await bob.innerText('main');
  out.steps.hostile_script_elements = await bob.$$eval('script', (l) => l.length);
  out.steps.hostile_img_elements = await bob.$$eval('img', (l) => l.length);
  out.steps.hostile_onerror = await bob.$$eval('[onerror], [onload], [onclick]', (l) => l.length);

  // bob proposes a recast of the first vulnerability.
  const key = plan.decide_key;
  await visit(bob, 'bob', '/vulnerabilities/' + encodeURIComponent(key), 'vulnerability');
  await bob.selectOption('select[name=type]', 'recast');
  await bob.selectOption('select[name=reason]', 'compensating-controls');
  await bob.selectOption('select[name=severity]', 'LOW');
  await bob.fill('textarea[name=basis]', 'The service is reachable only from the management VLAN (firewall rule 12).');
  const [decided] = await Promise.all([
    bob.waitForResponse((r) => r.url().includes('/decisions') && r.request().method() === 'POST'),
    bob.click('form[action$="/decisions"] button[type=submit]'),
  ]);
  out.steps.decide_status = decided.status();
  await bob.waitForLoadState('load');
  out.steps.after_decide_url = bob.url();
  out.steps.bob_approve_forms = await bob.$$eval('form[action$="/approve"]', (l) => l.length);
  // The same analyst cannot approve it, even posting the form by hand with his CSRF token.
  const bobCsrf = await csrfOf(bob);
  const selfApprove = await people.bob.context.request.post(base + `/decisions/${plan.decision_id}/approve`,
    { form: { csrf: bobCsrf, note: 'mine' }, maxRedirects: 0 });
  out.steps.bob_self_approve_status = selfApprove.status();
  // A form without its CSRF token, or with another, is refused.
  const noCsrf = await people.bob.context.request.post(base + '/vulnerabilities/' + encodeURIComponent(key) + '/decisions',
    { form: { type: 'recast', reason: 'other', basis: 'x'.repeat(40), severity: 'LOW' }, maxRedirects: 0 });
  out.steps.no_csrf_status = noCsrf.status();
  const wrongCsrf = await people.bob.context.request.post(base + '/assets/decommission',
    { form: { csrf: 'A'.repeat(43), asset: 'x', reason: 'y' }, maxRedirects: 0 });
  out.steps.wrong_csrf_status = wrongCsrf.status();
  const foreign = await people.bob.context.request.post(base + '/audit/checkpoint',
    { form: { csrf: bobCsrf }, headers: { Origin: 'https://evil.example' }, maxRedirects: 0 });
  out.steps.cross_origin_status = foreign.status();

  // carol (approver) approves it from the approvals queue.
  const carol = people.carol.page;
  await visit(carol, 'carol', '/approvals', 'approvals');
  out.steps.carol_approve_forms = await carol.$$eval('form[action$="/approve"]', (l) => l.length);
  await carol.fill(`form[action="/decisions/${plan.decision_id}/approve"] input[name=note]`, 'Checked the firewall rule.');
  await Promise.all([carol.waitForLoadState('load'),
                     carol.click(`form[action="/decisions/${plan.decision_id}/approve"] button`)]);
  out.steps.after_approve_url = carol.url();
  out.steps.after_approve_text = await carol.innerText('main');

  // erin (auditor) sees every page and has no form but signing out.
  const erin = people.erin.page;
  const paths = [['/', 'dashboard'], ['/vulnerabilities', 'vulnerabilities'],
                 ['/vulnerabilities/' + encodeURIComponent(key), 'vulnerability'],
                 ['/vulnerabilities/' + encodeURIComponent(key) + '/dossier', 'dossier'],
                 ['/approvals', 'approvals'], ['/assets', 'assets'], ['/scanners', 'scanners'],
                 ['/reviews', 'reviews'], ['/reports', 'reports'], ['/audit', 'audit'],
                 ['/users', 'users']];
  for (const [path, name] of paths) {
    await visit(erin, 'erin', path, name);
  }
  const erinCsrf = await csrfOf(erin);
  const erinDecide = await people.erin.context.request.post(base + '/vulnerabilities/' + encodeURIComponent(key) + '/decisions',
    { form: { csrf: erinCsrf, type: 'recast', reason: 'other', basis: 'x'.repeat(40), severity: 'LOW' }, maxRedirects: 0 });
  out.steps.erin_decide_status = erinDecide.status();

  // alice (admin): makes an evidence pack and downloads it; the users page.
  const alice = people.alice.page;
  await visit(alice, 'alice', '/reports', 'reports');
  const today = new Date().toISOString().slice(0, 10);
  await alice.fill('input[name=from]', '2026-01-01');
  await alice.fill('input[name=to]', today);
  await Promise.all([alice.waitForLoadState('load'),
                     alice.click('form[action="/reports"] button')]);
  out.steps.report_links = await alice.$$eval('main table a', (l) => l.map((a) => a.getAttribute('href')));
  if (out.steps.report_links.length > 0) {
    const pack = await people.alice.context.request.get(base + out.steps.report_links[0]);
    out.steps.report_download = { status: pack.status(), type: pack.headers()['content-type'],
                                  bytes: (await pack.body()).length };
  }
  await visit(alice, 'alice', '/users', 'users');
  await visit(people.alice.page, 'alice', '/upload', 'upload');
  const axeContext = await browser.newContext({ bypassCSP: true });
  await axeContext.addCookies(await people.alice.context.cookies());
  for (const [path] of paths.concat([['/upload'], ['/login'], ['/enrol']])) {
    await axeCheck(axeContext, 'alice', path);
  }
  await axeContext.close();
  // Signing out ends the session.
  await Promise.all([bob.waitForLoadState('load'), bob.click('header form button')]);
  out.steps.after_logout_url = bob.url();
  const again = await people.bob.context.request.get(base + '/', { maxRedirects: 0 });
  out.steps.after_logout_status = again.status();
  out.steps.after_logout_location = again.headers().location || '';
} catch (e) {
  out.errors.push(String(e && e.stack || e));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
