import { launchBrowser } from '../tests/e2e/browser.ts';
const b = await launchBrowser();
const page = await b.newPage({ viewport: { width: 1920, height: 1080 } });
page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto('http://127.0.0.1:4173/unmask/?backend=wasm&present&section=statistics');
const counter = page.getByTestId('slide-counter');
await counter.waitFor();
for (let i = 0; i < 10; i++) {
  await page.waitForTimeout(3000);
  console.log(await counter.textContent(), await page.evaluate(() => JSON.stringify([...document.querySelectorAll('.slide:not([hidden]) .cell')].map((c) => [c.getAttribute('data-cell'), c.getAttribute('data-state'), c.querySelectorAll('[data-testid="plot"]').length]))));
  if ((await page.locator('.slide:not([hidden]) [data-testid="plot"]').count()) > 0) break;
  const before = await counter.textContent();
  await page.keyboard.press('PageDown');
  await page.waitForFunction((b) => document.querySelector('[data-testid="slide-counter"]')!.textContent !== b, before);
}
console.log('counter', await counter.textContent());
for (let i = 0; i < 12; i++) {
  await page.waitForTimeout(5000);
  console.log(await page.evaluate(() => JSON.stringify({
    plots: [...document.querySelectorAll('.slide:not([hidden]) [data-testid="plot"]')].map((p) => [p.getAttribute('data-ready'), p.getBoundingClientRect().width, p.getBoundingClientRect().height]),
    cells: [...document.querySelectorAll('.slide:not([hidden]) .cell')].map((c) => [c.getAttribute('data-cell'), c.getAttribute('data-state')]),
  })));
}
await page.screenshot({ path: '/tmp/probe.png' });
await b.close();
