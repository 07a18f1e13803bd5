/** The model store answers a load at once: its "Loading…" state is painted before any heavy work starts. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelStore, PRETRAINED } from '../../src/ui/models/model-store.ts';

describe('ModelStore.loadPretrained', () => {
  let frames: FrameRequestCallback[];
  beforeEach(() => {
    vi.useFakeTimers();
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const store = () => {
    const fetchFile = vi.fn((path: string) => Promise.resolve(new Response(`not a weights file: ${path}`)));
    return { fetchFile, models: new ModelStore({ run: vi.fn() }, fetchFile) };
  };

  it('shows Loading, and fetches only once the page has painted it', async () => {
    const { models, fetchFile } = store();
    const done = models.loadPretrained(PRETRAINED[0]);
    expect(models.getSnapshot().loading).toBe(PRETRAINED[0].label);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchFile).not.toHaveBeenCalled();
    // The frame is painted; the task after it starts the work.
    frames.forEach((f) => f(0));
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchFile).toHaveBeenCalledWith(`pretrained/${PRETRAINED[0].id}.safetensors`);
    await vi.runAllTimersAsync();
    await done;
    expect(models.getSnapshot().loading).toBeNull();
    expect(models.getSnapshot().error).toMatch(/^Loading the learns recipe, 5000 steps failed: /);
  });

  it('does not wait on a hidden tab, which paints no frames', async () => {
    const { models, fetchFile } = store();
    const done = models.loadPretrained(PRETRAINED[1]);
    await vi.advanceTimersByTimeAsync(99);
    expect(fetchFile).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchFile).toHaveBeenCalledTimes(1);
    await vi.runAllTimersAsync();
    await done;
    expect(models.getSnapshot().loading).toBeNull();
  });

  it('runs a load asked for during another after it, so the last one asked for wins', async () => {
    const { models, fetchFile } = store();
    const first = models.loadPretrained(PRETRAINED[0]);
    const second = models.loadPretrained(PRETRAINED[1]); // another picker, before it knew
    expect(models.getSnapshot().loading).toBe(PRETRAINED[0].label);
    await vi.runAllTimersAsync();
    await first;
    await second;
    expect(fetchFile.mock.calls.map(([path]) => path)).toEqual(PRETRAINED.slice(0, 2).map((p) => `pretrained/${p.id}.safetensors`));
    // Each was fetched once, one after the other, and each failed on its own (not weights).
    expect(models.getSnapshot().loading).toBeNull();
    expect(models.getSnapshot().error).toMatch(new RegExp(`^Loading ${PRETRAINED[1].label} failed`));
  });
});
