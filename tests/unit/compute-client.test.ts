/**
 * The page's side of the compute worker, against scripted workers: weights go
 * once per model, a cancel is asked for and then enforced by ending the
 * worker, a lost GPU or a crash replaces the worker (on the next backend),
 * and where no worker starts the jobs go to the page.
 */
import { describe, expect, it } from 'vitest';
import { NOTEBOOK_MODEL_OPTIONS } from '../../src/core/model-options.ts';
import { ComputeClient, type ModelPayload, type PageRunner, type Ready } from '../../src/ui/models/compute-client.ts';
import type { FromCompute, ToCompute } from '../../src/worker/compute-protocol.ts';

type Behaviour = (msg: ToCompute, reply: (m: FromCompute) => void, worker: FakeWorker) => void;

class FakeWorker {
  onmessage: ((e: MessageEvent<FromCompute>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly seen: ToCompute[] = [];
  terminated = false;
  constructor(private readonly behave: Behaviour) {}
  postMessage(msg: ToCompute): void {
    this.seen.push(msg);
    // Answers arrive later, as a worker's do.
    queueMicrotask(() => this.behave(msg, (m) => !this.terminated && this.onmessage?.({ data: m } as MessageEvent<FromCompute>), this));
  }
  terminate(): void {
    this.terminated = true;
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined } as unknown as ErrorEvent);
  }
}

const choice = (name: string) => ({ name, attempts: [{ name, ok: true }] });

/** A worker that starts on the first backend it is given and answers jobs with their name and model version. */
const obliging: Behaviour = (msg, reply) => {
  if (msg.type === 'init') reply({ type: 'ready', choice: choice(msg.order?.[0] ?? 'wasm'), probe: null, fingerprint: 'f' });
  if (msg.type === 'job') reply({ type: 'result', id: msg.id, result: { job: msg.name, model: msg.modelVersion } });
};

function client(behaviours: Behaviour[], extra: { onPage?: () => Promise<PageRunner> } = {}) {
  const workers: FakeWorker[] = [];
  const ready: Ready[] = [];
  const lost: string[] = [];
  let order = ['webgl', 'wasm'];
  const c = new ComputeClient({
    init: () => ({ order, candidates: order, cachedFingerprint: null }),
    onReady: (r) => ready.push(r),
    onLost: (b) => {
      lost.push(b);
      order = order.filter((n) => n !== b);
    },
    spawn: () => {
      const w = new FakeWorker(behaviours[Math.min(workers.length, behaviours.length - 1)]);
      workers.push(w);
      return w as unknown as Worker;
    },
    onPage: extra.onPage,
  });
  return { c, workers, ready, lost };
}

const model = (version: number): ModelPayload => ({
  version,
  weights: new Map([['w', new Float32Array([version])]]),
  options: NOTEBOOK_MODEL_OPTIONS,
});

describe('compute client', () => {
  it('sends a model once per version, then only jobs', async () => {
    const { c, workers } = client([obliging]);
    expect(await c.run('predict', { xt: new Int32Array(2), t: 0.5, k: 1 }, { model: model(1) })).toEqual({ job: 'predict', model: 1 });
    await c.run('logits', { xt: new Int32Array(2), t: 0.5 }, { model: model(1) });
    await c.run('logits', { xt: new Int32Array(2), t: 0.5 }, { model: model(2) });
    await c.run('paramCounts', {}, { model: null });
    expect(
      workers[0].seen.map((m) => (m.type === 'model' ? `model ${m.version}` : m.type === 'job' ? `${m.name} on ${m.modelVersion}` : m.type)),
    ).toEqual(['init', 'model 1', 'predict on 1', 'logits on 1', 'model 2', 'logits on 2', 'paramCounts on -1']);
  });

  it('asks a job to stop when cancelled, and ends its worker if it does not', async () => {
    // The first worker never answers a job nor a cancel; the second is obliging.
    const stubborn: Behaviour = (msg, reply) => {
      if (msg.type === 'init') reply({ type: 'ready', choice: choice('wasm'), probe: null, fingerprint: 'f' });
    };
    const { c, workers } = client([stubborn, obliging]);
    const controller = new AbortController();
    const job = c.run(
      'generate',
      { settings: { sampler: 'ancestral', steps: 8, temperature: 1, grid: 'uniform' }, seed: 1 },
      { model: model(1), signal: controller.signal },
    );
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    // The caller hears at once; the worker is asked to stop.
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0].seen.some((m) => m.type === 'cancel')).toBe(true);
    expect(workers[0].terminated).toBe(false);
    // Past the grace period the stuck worker is ended and a fresh one started, with the model sent again.
    await new Promise((r) => setTimeout(r, 1700));
    expect(workers[0].terminated).toBe(true);
    expect(await c.run('predict', { xt: new Int32Array(1), t: 1, k: 1 }, { model: model(1) })).toEqual({ job: 'predict', model: 1 });
    expect(workers[1].seen.filter((m) => m.type === 'model')).toHaveLength(1);
  });

  it('replaces a worker whose GPU is lost, on the next backend', async () => {
    const losing: Behaviour = (msg, reply) => {
      if (msg.type === 'init') reply({ type: 'ready', choice: choice(msg.order![0]), probe: null, fingerprint: 'f' });
      if (msg.type === 'job') reply({ type: 'lost', message: 'the WebGL context was lost' });
    };
    const { c, workers, lost, ready } = client([losing, obliging]);
    await expect(c.run('predict', { xt: new Int32Array(1), t: 1, k: 1 }, { model: model(1) })).rejects.toThrow(/the WebGL context was lost/);
    expect(lost).toEqual(['webgl']);
    expect(await c.run('predict', { xt: new Int32Array(1), t: 1, k: 1 }, { model: model(1) })).toEqual({ job: 'predict', model: 1 });
    expect(workers[1].seen[0]).toMatchObject({ type: 'init', order: ['wasm'] });
    expect(ready.map((r) => r.choice.name)).toEqual(['webgl', 'wasm']);
  });

  it('fails the job of a worker that crashes, and carries on with a new one', async () => {
    let crash: () => void = () => undefined;
    const crashing: Behaviour = (msg, reply, w) => {
      if (msg.type === 'init') reply({ type: 'ready', choice: choice('wasm'), probe: null, fingerprint: 'f' });
      if (msg.type === 'job') crash = () => w.crash('Out of memory');
    };
    const { c, workers } = client([crashing, obliging]);
    const job = c.run('predict', { xt: new Int32Array(1), t: 1, k: 1 }, { model: model(1) });
    await new Promise((r) => setTimeout(r, 10));
    crash();
    await expect(job).rejects.toThrow('the compute worker was restarted (it crashed: Out of memory)');
    expect(await c.run('logits', { xt: new Int32Array(1), t: 1 }, { model: model(1) })).toEqual({ job: 'logits', model: 1 });
    expect(workers).toHaveLength(2);
  });

  it('runs jobs on the page when no worker will start', async () => {
    const failing: Behaviour = (msg, reply) => {
      if (msg.type === 'init') reply({ type: 'init-failed', message: 'no backend could start' });
    };
    const ran: string[] = [];
    const page: PageRunner = {
      ready: { choice: choice('cpu'), probe: null, fingerprint: '', where: 'page' },
      run: async (name) => (ran.push(name), 'on the page'),
    };
    const { c, workers, ready } = client([failing], { onPage: async () => page });
    expect(await c.run('predict', { xt: new Int32Array(1), t: 1, k: 1 }, { model: model(1) })).toBe('on the page');
    expect(workers).toHaveLength(2); // it tried twice
    expect(ran).toEqual(['predict']);
    expect(ready.at(-1)?.where).toBe('page');
  });
});
