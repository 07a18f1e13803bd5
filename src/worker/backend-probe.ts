/**
 * Choose the backend by measuring, not by name. Headless Chromium offers WebGL
 * and WebGPU only through SwiftShader, a renderer that runs on the CPU: picked
 * by name, "WebGL" trained at 3,984 ms a step where WebAssembly took 122 ms.
 * Integrated GPUs can lose to WebAssembly on a model this small too.
 *
 * So: find out what each GPU backend runs on (a software renderer is never
 * called a GPU, and is not timed: a step there takes seconds), then time a few
 * training steps of the lesson's own model on each candidate and rank them.
 * Runs inside a worker (it needs tfjs with every backend registered).
 */
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../core/backend.ts';
import { errorMessage } from '../core/error-message.ts';
import { freshModel, trainerFor } from '../core/model-factory.ts';
import { getRecipe } from '../core/recipes.ts';

export interface BackendTiming {
  readonly name: string;
  /** Milliseconds a training step (forward, backward, update; batch 64) took; null when not timed. */
  readonly msPerStep: number | null;
  /** What it runs on, when the browser says (a GPU's or renderer's name). */
  readonly device: string | null;
  /** A renderer that runs on the CPU: never presented as a GPU. */
  readonly software: boolean;
  /** Why it was not timed, or could not start. */
  readonly note: string | null;
}

export interface Probe {
  /** This browser on this machine: a cached probe is reused only while it matches. */
  readonly fingerprint: string;
  readonly timings: readonly BackendTiming[];
  /** The candidates fastest first: timed ones by speed, then the rest in preference order. */
  readonly order: readonly string[];
}

/** Words that name a renderer running on the CPU (Chromium's SwiftShader, Mesa's llvmpipe and lavapipe, Windows' WARP). */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|warp\b/i;

export function isSoftwareRenderer(description: string | null): boolean {
  return description !== null && SOFTWARE.test(description);
}

/** The WebGL renderer's name, as the driver gives it where the browser allows. */
function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return null;
  }
}

type AdapterInfoLike = { vendor?: string; architecture?: string; description?: string; device?: string; isFallbackAdapter?: boolean };

/** The WebGPU adapter's description, and whether the browser itself calls it a fallback (software) adapter. */
async function webgpuAdapter(): Promise<{ name: string; fallback: boolean } | null> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return null;
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return null;
    const info = ((adapter as unknown as { info?: AdapterInfoLike }).info ?? {}) as AdapterInfoLike;
    const name = [info.vendor, info.architecture, info.description || info.device].filter(Boolean).join(' ') || 'unnamed adapter';
    const fallback = info.isFallbackAdapter ?? (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false;
    return { name, fallback };
  } catch {
    return null;
  }
}

/** Milliseconds a training step takes on the current backend: one untimed step (shaders compile), then the median of `timed`. */
async function timeSteps(timed: number): Promise<number> {
  const recipe = getRecipe('learns');
  const model = freshModel(recipe, 1);
  const trainer = trainerFor(model, recipe, 1, timed + 1);
  const times: number[] = [];
  try {
    await trainer.run({ untilStep: 1 });
    for (let i = 0; i < timed; i++) {
      const t0 = performance.now();
      await trainer.run({ untilStep: trainer.step + 1 });
      times.push(performance.now() - t0);
    }
  } finally {
    trainer.dispose();
    model.dispose();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export interface ProbeOptions {
  /** Timed steps a backend (after one warm-up step). */
  readonly steps?: number;
  /** Also time software renderers (seconds a step): only when a learner asks. */
  readonly includeSoftware?: boolean;
}

/**
 * Time each of `candidates` that starts here and leave the fastest as tfjs'
 * backend. The plain-JavaScript `cpu` backend is timed only if nothing faster
 * started: it exists as the last resort, not as a contender.
 */
export async function probeBackends(candidates: readonly string[], options: ProbeOptions = {}): Promise<Probe> {
  const steps = options.steps ?? 2;
  const [gl, gpu] = [webglRenderer(), await webgpuAdapter()];
  const device: Record<string, { name: string | null; software: boolean }> = {
    webgl: { name: gl, software: isSoftwareRenderer(gl) },
    webgpu: { name: gpu?.name ?? null, software: gpu ? gpu.fallback || isSoftwareRenderer(gpu.name) : false },
    wasm: { name: 'this CPU, WebAssembly', software: false },
    cpu: { name: 'this CPU, plain JavaScript', software: false },
  };
  const timings: BackendTiming[] = [];
  for (const name of candidates) {
    const d = device[name] ?? { name: null, software: false };
    const base = { name, device: d.name, software: d.software };
    if (!tf.findBackendFactory(name)) {
      timings.push({ ...base, msPerStep: null, note: 'not available in this build' });
      continue;
    }
    if (d.software && !options.includeSoftware) {
      timings.push({
        ...base,
        msPerStep: null,
        note: 'a software renderer: it runs on the CPU, and a step there takes seconds, so it was not timed',
      });
      continue;
    }
    if (name === 'cpu' && timings.some((t) => t.msPerStep !== null)) {
      timings.push({ ...base, msPerStep: null, note: 'the plain-JavaScript last resort: not timed while a faster backend works' });
      continue;
    }
    try {
      await selectBackend([name]);
      timings.push({ ...base, msPerStep: await timeSteps(steps), note: null });
    } catch (e) {
      timings.push({ ...base, msPerStep: null, note: `could not start: ${errorMessage(e)}` });
    }
  }
  const order = rankBackends(timings);
  if (order.length > 0) await selectBackend(order);
  return { fingerprint: fingerprint(gl, gpu?.name ?? null), timings, order };
}

/** Timed backends fastest first, then those that were not timed but may start, in the order given. */
export function rankBackends(timings: readonly BackendTiming[]): string[] {
  const timed = timings.filter((t) => t.msPerStep !== null).sort((a, b) => a.msPerStep! - b.msPerStep!);
  const untimed = timings.filter((t) => t.msPerStep === null && t.note !== 'not available in this build' && !t.note?.startsWith('could not start'));
  // Software renderers go last, whatever their place in the preference order.
  untimed.sort((a, b) => Number(a.software) - Number(b.software));
  return [...timed, ...untimed].map((t) => t.name);
}

/** What makes a cached probe stale: another browser, core count or GPU. */
export function fingerprint(webgl: string | null, webgpu: string | null): string {
  return [navigator.userAgent, navigator.hardwareConcurrency, webgl ?? 'no webgl', webgpu ?? 'no webgpu'].join(' | ');
}

/** The fingerprint alone, without timing anything: to check a cached probe. */
export async function currentFingerprint(): Promise<string> {
  return fingerprint(webglRenderer(), (await webgpuAdapter())?.name ?? null);
}
