import { launchBrowser } from '../tests/e2e/browser.ts';
const b = await launchBrowser();
const page = await b.newPage();
page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto('http://127.0.0.1:4173/unmask/' + (process.argv[2] ?? ''));
const cell = page.locator('.cell[data-cell="backend"]');
await cell.getByRole('button', { name: 'Run', exact: true }).click();
for (let i = 0; i < 12; i++) {
  await page.waitForTimeout(5000);
  console.log(await cell.getAttribute('data-state'), (await cell.textContent())!.slice(0, 300));
  if ((await cell.getAttribute('data-state')) === 'done') break;
}
console.log(page.workers().map((w) => w.url()));
await b.close();
