/**
 * Which backend the lesson computes on, chosen by measuring: the compute
 * worker times the candidates once per device (backend-probe.ts), and the
 * result is kept in localStorage, so later visits start at once. The learner
 * can pin another backend from section 0; a `?backend=` link fixes the order
 * outright (no measuring). Training asks here for its order too.
 */
import type { BackendChoice } from '../../core/backend.ts';
import { BACKEND_PREFERENCE } from '../../core/backend-names.ts';
import type { BackendTiming, Probe } from '../../worker/backend-probe.ts';
import type { InitRequest, Ready } from '../models/compute-client.ts';
import { parseBackendRequest, type BackendRequest } from './backend-request.ts';

export interface BackendSnapshot {
  /** The measured timings of this device (fresh or remembered), or null before the first start. */
  readonly timings: readonly BackendTiming[] | null;
  /** When the timings were measured (ms since 1970), or null. */
  readonly measuredAt: number | null;
  /** What the compute worker started on, once it has. */
  readonly choice: BackendChoice | null;
  readonly where: 'worker' | 'page' | null;
  /** The learner's pick from section 0; null lets the measurement decide. */
  readonly pinned: string | null;
  /** What the link's `?backend=` asks for, and what was wrong with it. */
  readonly request: BackendRequest;
  /** Backends whose GPU went away in this visit: passed over from then on. */
  readonly lost: readonly string[];
}

interface Remembered {
  readonly fingerprint: string;
  readonly timings: BackendTiming[];
  readonly order: string[];
  readonly measuredAt: number;
  readonly pinned: string | null;
}

export const STORAGE_KEY = 'unmask.backends.v1';

/** What localStorage holds, checked: another version or a hand-edited value is ignored, never trusted. */
export function parseRemembered(raw: string | null): Remembered | null {
  if (!raw || raw.length > 20_000) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const r = v as Record<string, unknown>;
  const known = (n: unknown) => typeof n === 'string' && (BACKEND_PREFERENCE as readonly string[]).includes(n);
  const timingOk = (t: unknown) => {
    if (!t || typeof t !== 'object') return false;
    const x = t as Record<string, unknown>;
    return (
      known(x.name) &&
      (x.msPerStep === null || (typeof x.msPerStep === 'number' && x.msPerStep > 0 && x.msPerStep < 1e7)) &&
      (x.device === null || typeof x.device === 'string') &&
      typeof x.software === 'boolean' &&
      (x.note === null || typeof x.note === 'string')
    );
  };
  if (typeof r.fingerprint !== 'string' || !Array.isArray(r.timings) || !r.timings.every(timingOk) || r.timings.length > 8) return null;
  if (!Array.isArray(r.order) || !r.order.every(known) || r.order.length === 0) return null;
  if (typeof r.measuredAt !== 'number' || !Number.isFinite(r.measuredAt)) return null;
  if (r.pinned !== null && !known(r.pinned)) return null;
  return r as unknown as Remembered;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

export class BackendStore {
  private snapshot: BackendSnapshot;
  private readonly listeners = new Set<() => void>();
  private remembered: Remembered | null;
  /** Called when the choice changes, so the compute worker starts again on it. */
  onChange: (() => void) | null = null;

  constructor(
    search: string,
    private readonly storage: Storage | null,
  ) {
    this.remembered = parseRemembered(safely(() => storage?.getItem(STORAGE_KEY) ?? null));
    this.snapshot = {
      timings: this.remembered?.timings ?? null,
      measuredAt: this.remembered?.measuredAt ?? null,
      choice: null,
      where: null,
      pinned: this.remembered?.pinned ?? null,
      request: parseBackendRequest(search),
      lost: [],
    };
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): BackendSnapshot => this.snapshot;

  /** The backends to try, fastest first, from the link, the learner's pin and the last measurement. */
  order(): string[] {
    const { request, pinned, lost } = this.snapshot;
    const base = request.names ?? this.remembered?.order ?? [...BACKEND_PREFERENCE];
    const all = request.names ? [...base] : [...new Set([...base, ...BACKEND_PREFERENCE])];
    const ordered = pinned && !request.names ? [pinned, ...all.filter((n) => n !== pinned)] : all;
    const left = ordered.filter((n) => !lost.includes(n));
    return left.length > 0 ? left : ordered.slice(-1);
  }

  /** How the compute worker should start: on a known order, or by measuring. */
  initRequest(): InitRequest {
    const { request, pinned, lost } = this.snapshot;
    const candidates = BACKEND_PREFERENCE.filter((n) => !lost.includes(n));
    if (request.names || pinned || lost.length > 0) return { order: this.order(), candidates, cachedFingerprint: null };
    if (this.remembered) return { order: this.remembered.order, candidates, cachedFingerprint: this.remembered.fingerprint };
    return { order: null, candidates, cachedFingerprint: null };
  }

  /** The compute worker is up: keep a fresh measurement for next time. */
  started(ready: Ready): void {
    const probe: Probe | null = ready.probe;
    if (probe) {
      this.remembered = {
        fingerprint: probe.fingerprint,
        timings: [...probe.timings],
        order: [...probe.order],
        measuredAt: Date.now(),
        pinned: this.snapshot.pinned,
      };
      this.persist();
    }
    this.publish({
      choice: ready.choice,
      where: ready.where,
      timings: probe ? probe.timings : this.snapshot.timings,
      measuredAt: probe ? this.remembered!.measuredAt : this.snapshot.measuredAt,
    });
  }

  /** A backend's GPU went away: pass over it from now on. */
  lostBackend(name: string): void {
    if (!this.snapshot.lost.includes(name)) this.publish({ lost: [...this.snapshot.lost, name] });
  }

  /** The learner picks a backend (null: let the measurement decide again). */
  pin(name: string | null): void {
    if (name !== null && !(BACKEND_PREFERENCE as readonly string[]).includes(name)) return;
    if (this.snapshot.pinned === name) return;
    this.publish({ pinned: name });
    if (this.remembered) this.remembered = { ...this.remembered, pinned: name };
    this.persist();
    this.onChange?.();
  }

  /** Forget the measurement and time the backends again. */
  remeasure(): void {
    this.remembered = null;
    safely(() => this.storage?.removeItem(STORAGE_KEY));
    this.publish({ timings: null, measuredAt: null, choice: null, lost: [] });
    this.onChange?.();
  }

  /** Kept with the measurement it refines; a pin made before any measurement lasts for this visit only. */
  private persist(): void {
    if (this.remembered) safely(() => this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.remembered)));
  }

  private publish(patch: Partial<BackendSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const fn of this.listeners) fn();
  }
}

/** localStorage can throw (private mode, a full quota, a sandbox): the lesson goes on without it. */
function safely<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
