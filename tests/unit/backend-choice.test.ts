/**
 * The backend chosen by measuring: what counts as a software renderer, how
 * timings rank, what a `?backend=` link may ask, and what is remembered
 * between visits (checked, since localStorage is anyone's to write).
 */
import { describe, expect, it } from 'vitest';
import { parseBackendRequest } from '../../src/ui/backend/backend-request.ts';
import { BackendStore, parseRemembered, STORAGE_KEY } from '../../src/ui/backend/backend-store.ts';
import { isSoftwareRenderer, rankBackends, type BackendTiming } from '../../src/worker/backend-probe.ts';

const timing = (name: string, msPerStep: number | null, extra: Partial<BackendTiming> = {}): BackendTiming => ({
  name,
  msPerStep,
  device: null,
  software: false,
  note: null,
  ...extra,
});

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem = (k: string) => this.data.get(k) ?? null;
  setItem = (k: string, v: string) => void this.data.set(k, v);
  removeItem = (k: string) => void this.data.delete(k);
}

describe('measuring backends', () => {
  it('never calls a software renderer a GPU', () => {
    for (const s of [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'google swiftshader',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'Mesa lavapipe',
      'Microsoft Basic Render Driver',
      'Software Adapter',
    ])
      expect(isSoftwareRenderer(s), s).toBe(true);
    for (const s of ['ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0)', 'apple m2', 'Intel(R) Iris(R) Xe Graphics', null])
      expect(isSoftwareRenderer(s), String(s)).toBe(false);
  });

  it('ranks the timed backends by speed, then the untimed ones, software last', () => {
    const order = rankBackends([
      timing('webgpu', null, { software: true, note: 'a software renderer' }),
      timing('webgl', 130),
      timing('wasm', 90),
      timing('cpu', null, { note: 'the plain-JavaScript last resort' }),
    ]);
    expect(order).toEqual(['wasm', 'webgl', 'cpu', 'webgpu']);
    expect(rankBackends([timing('webgl', null, { note: 'could not start: no context' }), timing('wasm', 90)])).toEqual(['wasm']);
  });
});

describe('the ?backend= link', () => {
  it('takes known names in order, reports unknown ones, and ignores an empty one', () => {
    expect(parseBackendRequest('')).toEqual({ names: null, problem: null });
    expect(parseBackendRequest('?backend=webgl,wasm')).toEqual({ names: ['webgl', 'wasm'], problem: null });
    expect(parseBackendRequest('?backend=nonesuch,wasm')).toEqual({
      names: ['wasm'],
      problem: 'The link\'s backend= names something that is not a backend: "nonesuch" (known: webgpu, webgl, wasm, cpu).',
    });
    expect(parseBackendRequest('?backend=gpu,fast')).toEqual({
      names: null,
      problem:
        'The link\'s backend= names things that are not a backend: "gpu", "fast" (known: webgpu, webgl, wasm, cpu). The lesson measured the backends instead.',
    });
    expect(parseBackendRequest('?backend=').names).toBeNull();
  });
});

describe('the remembered choice', () => {
  const probe = {
    fingerprint: 'chromium 156 | 2 | swiftshader',
    timings: [timing('webgl', null, { software: true, note: 'software' }), timing('wasm', 95)],
    order: ['wasm', 'webgl'],
  };
  const ready = { choice: { name: 'wasm', attempts: [] }, probe, fingerprint: probe.fingerprint, where: 'worker' as const };

  it('measures on a first visit, remembers it, and reuses it (if the device still matches) on the next', () => {
    const storage = new MemoryStorage();
    const first = new BackendStore('', storage);
    expect(first.initRequest()).toEqual({ order: null, candidates: ['webgpu', 'webgl', 'wasm', 'cpu'], cachedFingerprint: null });
    first.started(ready);
    expect(first.getSnapshot().choice?.name).toBe('wasm');
    const next = new BackendStore('', storage);
    expect(next.getSnapshot().timings).toEqual(probe.timings);
    expect(next.initRequest()).toEqual({
      order: ['wasm', 'webgl'],
      candidates: ['webgpu', 'webgl', 'wasm', 'cpu'],
      cachedFingerprint: probe.fingerprint,
    });
    expect(next.order()).toEqual(['wasm', 'webgl', 'webgpu', 'cpu']);
  });

  it("puts the learner's pick first, lets a link fix the order, and passes over a lost GPU", () => {
    const storage = new MemoryStorage();
    const store = new BackendStore('', storage);
    store.started(ready);
    let changes = 0;
    store.onChange = () => changes++;
    store.pin('cpu');
    expect(changes).toBe(1);
    expect(store.order()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
    expect(new BackendStore('', storage).getSnapshot().pinned).toBe('cpu');
    store.pin('quantum');
    expect(store.getSnapshot().pinned).toBe('cpu');
    store.lostBackend('cpu');
    expect(store.order()).toEqual(['wasm', 'webgl', 'webgpu']);

    const linked = new BackendStore('?backend=webgl,wasm', storage);
    expect(linked.order()).toEqual(['webgl', 'wasm']);
    expect(linked.initRequest().order).toEqual(['webgl', 'wasm']);
  });

  it('ignores a damaged or hostile record instead of trusting it', () => {
    const good = JSON.stringify({ ...probe, measuredAt: 1, pinned: null });
    expect(parseRemembered(good)).not.toBeNull();
    for (const bad of [
      'not json',
      JSON.stringify({ ...probe, measuredAt: 1, pinned: 'gpu' }),
      JSON.stringify({ ...probe, order: ['wasm', 'javascript:alert(1)'], measuredAt: 1, pinned: null }),
      JSON.stringify({ ...probe, timings: [{ ...probe.timings[1], msPerStep: -5 }], measuredAt: 1, pinned: null }),
      JSON.stringify({ ...probe, measuredAt: 'yesterday', pinned: null }),
      'x'.repeat(30_000),
    ])
      expect(parseRemembered(bad), bad.slice(0, 60)).toBeNull();
    const storage = new MemoryStorage();
    storage.setItem(STORAGE_KEY, '{"order":[]}');
    expect(new BackendStore('', storage).initRequest().order).toBeNull();
    // A storage that throws (a privacy mode) is no reason to fail.
    const hostile = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => undefined,
    };
    const store = new BackendStore('', hostile);
    store.started(ready);
    expect(store.getSnapshot().choice?.name).toBe('wasm');
  });
});
