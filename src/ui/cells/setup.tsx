/** Section 0 cells: which backend this browser got, on what device, and the seed. */
import type { BackendChoice } from '../../core/backend.ts';
import { startEngine } from '../engine.ts';
import { cell, rngFor } from './types.ts';

interface DeviceInfo {
  readonly backend: BackendChoice;
  /** describeBackend's words, fetched with the engine: core/backend.ts brings tfjs, which the first screen must not load. */
  readonly description: string;
  readonly gpu: string | null;
  readonly cores: number | null;
  readonly memoryGiB: number | null;
}

/** What the GPU calls itself, where the browser will say. */
async function gpuName(backend: string): Promise<string | null> {
  try {
    if (backend === 'webgpu') {
      type AdapterInfo = { vendor?: string; architecture?: string; description?: string };
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo } | null> } }).gpu;
      const info = (await gpu?.requestAdapter())?.info;
      const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
      return name || null;
    }
    if (backend === 'webgl') {
      const gl = document.createElement('canvas').getContext('webgl2');
      const ext = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : null;
    }
  } catch {
    // Device names are a nicety; their absence is not an error.
  }
  return null;
}

/** Rough seconds per training step of this model (batch 64), measured on a laptop-class machine. */
const STEP_TIME: Record<string, string> = {
  webgpu: 'tens of milliseconds a step on a real GPU',
  webgl: 'roughly 0.1 to 0.3 s a step on a real GPU',
  wasm: 'roughly 0.4 to 1 s a step',
  cpu: 'several seconds a step',
};

export const cells = {
  backend: cell<DeviceInfo>({
    title: 'Start TensorFlow.js',
    source: () => import('../../core/backend.ts?raw'),
    async run() {
      const backend = await startEngine();
      const { describeBackend } = await import('../../core/backend.ts');
      const nav = navigator as Navigator & { deviceMemory?: number };
      return { backend, description: describeBackend(backend.name), gpu: await gpuName(backend.name), cores: nav.hardwareConcurrency ?? null, memoryGiB: nav.deviceMemory ?? null };
    },
    View: ({ out }) => (
      <div>
        <p>
          Backend: <strong data-testid="backend">{out.backend.name}</strong>. {out.description}
        </p>
        <dl className="kv">
          <dt>Training speed</dt>
          <dd>{STEP_TIME[out.backend.name] ?? 'unknown'}</dd>
          {out.gpu && (
            <>
              <dt>GPU</dt>
              <dd>{out.gpu}</dd>
            </>
          )}
          {out.cores !== null && (
            <>
              <dt>CPU threads</dt>
              <dd>{out.cores}</dd>
            </>
          )}
          {out.memoryGiB !== null && (
            <>
              <dt>Memory</dt>
              <dd>at least {out.memoryGiB} GiB</dd>
            </>
          )}
        </dl>
        {out.backend.attempts.some((a) => !a.ok) && (
          <>
            <p>Tried first, in order of speed:</p>
            <ul>
              {out.backend.attempts
                .filter((a) => !a.ok)
                .map((a) => (
                  <li key={a.name}>
                    {a.name}: {a.reason}
                  </li>
                ))}
            </ul>
          </>
        )}
      </div>
    ),
  }),

  seed: cell<{ seed: number; draws: number[] }>({
    title: 'The seed',
    auto: true,
    source: () => import('../../core/rng.ts?raw'),
    run: ({ seed }) => {
      const rng = rngFor(seed, 'seed-demo');
      return { seed, draws: Array.from({ length: 5 }, () => rng.int(1, 15)) };
    },
    View: ({ out }) => (
      <div>
        <p>
          Seed <strong data-testid="seed-value">{out.seed}</strong>. Change it in the toolbar at the top; every figure redraws from it.
        </p>
        <p>
          Five tokens drawn from this seed: <span className="output-text">{out.draws.join(' ')}</span>. Run this cell again and they do not change.
        </p>
      </div>
    ),
  }),
};
