/** Section 0 cells: which backend this browser computes on (measured, and switchable), and the seed. */
import { useSyncExternalStore } from 'react';
import { BACKEND_PREFERENCE } from '../../core/backend-names.ts';
import { describeBackend } from '../backend/backend-request.ts';
import { backends, compute } from '../models/index.ts';
import { cell, rngFor } from './types.ts';

interface Machine {
  readonly cores: number | null;
  readonly memoryGiB: number | null;
}

function BackendPanel({ out }: { out: Machine }) {
  const b = useSyncExternalStore(backends.subscribe, backends.getSnapshot);
  const name = b.choice?.name ?? null;
  const fastest = Math.min(...(b.timings ?? []).map((t) => t.msPerStep ?? Infinity));
  const software = b.timings?.find((t) => t.name === name)?.software ?? false;
  return (
    <div>
      {b.request.problem && (
        <p className="notice" role="status" data-testid="backend-request-problem">
          {b.request.problem}
        </p>
      )}
      <p>
        Computing on <strong data-testid="backend">{name ?? '…'}</strong>
        {b.where === 'page' ? ', on the page (no background worker could start, so the lesson pauses while it computes)' : ', in a background worker'}
        . {name && describeBackend(name, software)}
      </p>
      {b.timings && (
        <table className="data-table" data-testid="backend-timings">
          <caption>
            One training step of this lesson's model (batch 64), timed here
            {b.measuredAt ? ` on ${new Date(b.measuredAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">backend</th>
              <th scope="col">runs on</th>
              <th scope="col">ms a step</th>
              <th scope="col">in use</th>
            </tr>
          </thead>
          <tbody>
            {b.timings.map((t) => (
              <tr key={t.name} data-backend={t.name}>
                <th scope="row" style={{ textAlign: 'left' }}>
                  {t.name}
                </th>
                <td>{t.device ? `${t.device}${t.software ? ' (software: no GPU)' : ''}` : t.software ? 'a software renderer (no GPU)' : '—'}</td>
                <td className="num">
                  {t.msPerStep !== null
                    ? `${Math.round(t.msPerStep)}${t.msPerStep > fastest * 1.05 ? ` (${(t.msPerStep / fastest).toFixed(1)}× the fastest)` : ''}`
                    : t.note}
                </td>
                <td>{t.name === name ? '✓ in use' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="button-row">
        <label className="inline">
          Compute on
          <select
            value={b.pinned ?? 'auto'}
            disabled={b.request.names !== null}
            onChange={(e) => backends.pin(e.target.value === 'auto' ? null : e.target.value)}
            title={b.request.names ? 'The link fixes the backend (?backend=…)' : undefined}
          >
            <option value="auto">the fastest measured</option>
            {BACKEND_PREFERENCE.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => backends.remeasure()} disabled={b.request.names !== null}>
          Measure again
        </button>
      </div>
      <p className="hint">
        The lesson times each backend once on this device and remembers the result. A choice here applies to every computation from now on and to the
        next training run.
        {b.lost.length > 0 && ` Passed over since their GPU went away: ${b.lost.join(', ')}.`}
      </p>
      <dl className="kv">
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
    </div>
  );
}

export const cells = {
  backend: cell<Machine>({
    title: 'Start TensorFlow.js',
    source: () => import('../../worker/backend-probe.ts?raw'),
    async run() {
      await compute.ready();
      const nav = navigator as Navigator & { deviceMemory?: number };
      return { cores: nav.hardwareConcurrency ?? null, memoryGiB: nav.deviceMemory ?? null };
    },
    View: BackendPanel,
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
