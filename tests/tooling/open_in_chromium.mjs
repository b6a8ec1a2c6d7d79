// Opens a local HTML page in headless Chromium (Debian's /usr/bin/chromium, driven by
// Playwright) the way an auditor would open an evidence pack, and reports what the browser
// saw as one JSON object on stdout:
//   requests       every URL the page asked for (the page itself included)
//   console        console messages of type error or warning, and uncaught page errors
//   title          the document title
//   dialogs        messages of any alert/confirm/prompt the page opened (dismissed)
//   sections       for each <section id>: its heading, the number of table body rows, and
//                  its text as displayed
//   pdf_bytes      the size of the page printed to A4 PDF (0 when printing failed)
//   pdf_head       the first bytes of that PDF
//
//   node open_in_chromium.mjs FILE.html [SCREENSHOT.png]
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [file, screenshot] = process.argv.slice(2);
if (!file) {
  console.error('usage: node open_in_chromium.mjs FILE.html [SCREENSHOT.png]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const out = {
  requests: [], console: [], dialogs: [], title: '', sections: [], pdf_bytes: 0, pdf_head: '',
};
try {
  const page = await browser.newPage();
  page.on('request', (r) => out.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') out.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => out.console.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    out.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
  out.title = await page.title();
  out.sections = await page.$$eval('section[id]', (list) => list.map((s) => ({
    id: s.id,
    heading: s.querySelector('h2')?.textContent ?? '',
    rows: s.querySelectorAll('tbody tr').length,
    text: s.innerText,
  })));
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  out.pdf_bytes = pdf.length;
  out.pdf_head = pdf.subarray(0, 5).toString('latin1');
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
