/**
 * The `?backend=` link parameter: a fixed order of backends to use, skipping
 * the measurement (for testing fallbacks, or a learner who knows best). It is
 * checked: a name that is no backend is reported, never silently ignored.
 */
import { BACKEND_PREFERENCE } from '../../core/backend-names.ts';

export interface BackendRequest {
  /** The backends asked for, in order, or null when the link asks for none (or only for unknown ones). */
  readonly names: readonly string[] | null;
  /** What was wrong with the parameter, in words; null when nothing was. */
  readonly problem: string | null;
}

export function parseBackendRequest(search: string): BackendRequest {
  const raw = new URLSearchParams(search).get('backend');
  if (raw === null) return { names: null, problem: null };
  const asked = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = asked.filter((n, i) => (BACKEND_PREFERENCE as readonly string[]).includes(n) && asked.indexOf(n) === i);
  const unknown = asked.filter((n) => !(BACKEND_PREFERENCE as readonly string[]).includes(n));
  const list = BACKEND_PREFERENCE.join(', ');
  const problem =
    asked.length === 0
      ? `The link's backend= names no backend; the lesson measured them instead (known: ${list}).`
      : unknown.length > 0
        ? `The link's backend= names ${unknown.length === 1 ? 'something that is' : 'things that are'} not a backend: ${unknown.map((u) => `"${u.slice(0, 20)}"`).join(', ')} (known: ${list}).${known.length > 0 ? '' : ' The lesson measured the backends instead.'}`
        : null;
  return { names: known.length > 0 ? known : null, problem };
}

/** One line for learners: what a backend is. */
export function describeBackend(name: string, software = false): string {
  switch (name) {
    case 'webgpu':
      return software ? 'WebGPU through a software renderer: no GPU, the CPU draws it.' : 'WebGPU: your GPU through its compute API.';
    case 'webgl':
      return software ? 'WebGL through a software renderer: no GPU, the CPU draws it.' : 'WebGL: your GPU through the graphics API.';
    case 'wasm':
      return 'WebAssembly on the CPU, with SIMD kernels of our own.';
    case 'cpu':
      return 'Plain JavaScript on the CPU: the last resort.';
    default:
      return `${name}: an unrecognised backend.`;
  }
}
