import { launchBrowser, serveBuiltApp } from '../tests/e2e/browser.ts';
const app = await serveBuiltApp();
const browser = await launchBrowser();
const page = await browser.newPage();
await page.goto(app.url + '?backend=wasm&section=results');
await page.locator('.model-picker button').first().waitFor();
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
await cdp.send('Profiler.start');
await page.evaluate(() => {
  (window as any).lt = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => (window as any).lt.push([Math.round(e.startTime), Math.round(e.duration)]))).observe({ type: 'longtask' });
});
const t0 = await page.evaluate(() => performance.now());
await page.getByRole('button', { name: 'Run all' }).click();
await page.locator('.model-picker button').first().click();
await page.waitForFunction(() => [...document.querySelectorAll('.cell')].every((c) => !['running', 'idle'].includes(c.getAttribute('data-state') ?? '')), null, { timeout: 600_000, polling: 500 });
const { profile } = await cdp.send('Profiler.stop');
const lt = await page.evaluate(() => (window as any).lt);
console.log('t0', Math.round(t0), 'long tasks', lt.length, JSON.stringify(lt.slice(0, 60)));
const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas;
const counts = new Map<number, number>();
profile.samples.forEach((id: number, i: number) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
for (const [id, us] of counts) {
  const n: any = byId.get(id);
  const key = `${n.callFrame.functionName || '(anon)'} @ ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + us / 1000);
}
// by file
const byFile = new Map<string, number>();
for (const [id, us] of counts) { const n: any = byId.get(id); const f = n.callFrame.url.split('/').pop() || n.callFrame.functionName; byFile.set(f, (byFile.get(f) ?? 0) + us / 1000); }
console.log('by file:'); for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(v.toFixed(0).padStart(8), k);
console.log('by function:'); for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(v.toFixed(0).padStart(8), k);
await browser.close(); await app.close();
