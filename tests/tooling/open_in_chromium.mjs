// Opens a local HTML page in headless Chromium (Debian's /usr/bin/chromium, driven by
// Playwright) the way an auditor would open an evidence pack, and reports what the browser
// saw as one JSON object on stdout:
//   requests       every URL the page asked for (the page itself included)
//   console        console messages of type error or warning, and uncaught page errors
//   title          the document title
//   dialogs        messages of any alert/confirm/prompt the page opened (dismissed)
//   sections       for each <section id>: its heading, the number of table body rows, and
//                  its text as displayed
//   summary_svgs   the number of <svg> elements in the section "summary"
//   print_layout   laid out as printed (print media, within 12 mm margins): the named page
//                  (CSS `page`) of each section, the sections with a table wider than A4
//                  portrait and than A4 landscape, and the words of up to 16 characters that
//                  a line break splits (in the first 3,000 cells), with examples
//   pdf_bytes      the size of the page printed to A4 PDF with 12 mm margins, in the
//                  orientation its CSS asks per page (0 when printing failed); print_ms how
//                  long printing took
//   pdf_head       the first bytes of that PDF
//
//   node open_in_chromium.mjs FILE.html [SCREENSHOT.png|-] [OUT.pdf]
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [file, screenshot, pdfFile] = process.argv.slice(2);
if (!file) {
  console.error('usage: node open_in_chromium.mjs FILE.html [SCREENSHOT.png|-] [OUT.pdf]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const out = {
  requests: [], console: [], dialogs: [], title: '', sections: [], summary_svgs: 0,
  print_layout: null, pdf_bytes: 0, print_ms: 0, pdf_head: '',
};
// A4 within 12 mm margins at 96 px to the inch.
const MARGIN = '12mm';
const PRINT_WIDTH = Math.floor(((210 - 24) / 25.4) * 96);
const PRINT_HEIGHT = Math.floor(((297 - 24) / 25.4) * 96);
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
  out.summary_svgs = await page.$$eval('section#summary svg', (l) => l.length);
  if (screenshot && screenshot !== '-') await page.screenshot({ path: screenshot, fullPage: false });
  await page.emulateMedia({ media: 'print' });
  // The sections whose tables are wider than A4 portrait and landscape, each within margins.
  const wideAt = async (width) => {
    await page.setViewportSize({ width, height: PRINT_HEIGHT });
    return page.evaluate(() => [...document.querySelectorAll('section[id]')]
      .filter((s) => [...s.querySelectorAll('table')]
        .some((t) => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
      .map((s) => s.id));
  };
  const landscape = await wideAt(PRINT_HEIGHT);
  const portrait = await wideAt(PRINT_WIDTH);
  out.print_layout = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const pages = Object.fromEntries([...document.querySelectorAll('section[id]')]
      .map((s) => [s.id, getComputedStyle(s).page]));
    const split = [];
    const cells = [...document.querySelectorAll('td')].slice(0, 3000);
    for (const td of cells) {
      const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.data.matchAll(/\S+/g)) {
          if (m[0].length > 16) continue;
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) split.push(m[0]);
        }
      }
    }
    return { width, pages, split_words: split.length, split_examples: split.slice(0, 10) };
  });
  out.print_layout.wider_than_portrait = portrait;
  out.print_layout.wider_than_landscape = landscape;
  const started = Date.now();
  const pdf = await page.pdf({
    format: 'A4', printBackground: true, preferCSSPageSize: true,
    margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
  });
  out.print_ms = Date.now() - started;
  out.pdf_bytes = pdf.length;
  if (pdfFile) writeFileSync(pdfFile, pdf);
  out.pdf_head = pdf.subarray(0, 5).toString('latin1');
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
