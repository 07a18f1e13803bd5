import { launchBrowser, serveBuiltApp } from './tests/e2e/browser.ts';
const app = await serveBuiltApp(); const b = await launchBrowser();
for (const [i, q] of ['?backend=nonesuch,wasm', '?backend=nonesuch,cpu', '?backend=wasm'].entries()) {
  const p = await b.newPage();
  p.on('console', (m) => console.log(i, 'console', m.type(), m.text().slice(0, 200)));
  p.on('pageerror', (e) => console.log(i, 'pageerror', e.message.slice(0, 200)));
  p.on('requestfailed', (r) => console.log(i, 'reqfail', r.url(), r.failure()?.errorText));
  await p.goto(app.url + q);
  try { await p.getByTestId('param-count').waitFor({ timeout: 20000 }); console.log(i, 'ok', await p.getByTestId('backend').textContent()); }
  catch { console.log(i, 'TIMEOUT', (await p.textContent('body'))?.slice(0, 200)); }
  await p.close();
}
await b.close(); await app.close();
