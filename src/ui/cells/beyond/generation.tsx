/**
 * Generation by unmasking: start from a row of [MASK] and reveal it step by
 * step with the trained model, then judge the samples the way the data is made
 * (perfectly periodic? which period? how many different?), next to the other
 * sampler and next to the best possible denoiser.
 */
import { useEffect, useRef, useState } from 'react';
import { DEFAULT_DATA, MASK_ID } from '../../../core/config.ts';
import { bayesDenoiser } from '../../../core/denoiser.ts';
import type { DiffusionLM } from '../../../core/model.ts';
import { sampleQuality, type SampleQuality } from '../../../core/periodicity.ts';
import { sample, SAMPLERS, TIME_GRIDS, type Sampler, type TimeGrid } from '../../../core/sampling.ts';
import { models } from '../../engine.ts';
import { pct, TokenRow } from '../../figures/Tokens.tsx';
import { ScrollBox } from '../../notebook/ScrollBox.tsx';
import { Plot } from '../../plot/index.ts';
import { cell, rngFor } from '../types.ts';

const L = DEFAULT_DATA.seqLen;
/** Sequences generated at once: enough for the quality numbers to mean something. */
const BATCH = 64;
/** Sequences shown in the animation. */
const SHOWN = 6;
const MAX_STEPS = 64;

export interface Settings {
  readonly sampler: Sampler;
  readonly steps: number;
  readonly temperature: number;
  readonly grid: TimeGrid;
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({ sampler: 'ancestral', steps: 32, temperature: 1, grid: 'uniform' });

const SAMPLER_NAMES: Record<Sampler, string> = { ancestral: 'ancestral (random order)', confidence: 'confidence-based (surest first)' };

interface Row {
  readonly name: string;
  readonly quality: SampleQuality;
}

export interface Generated {
  readonly settings: Settings;
  readonly seed: number;
  /** The first SHOWN sequences before any step and after each // [K+1] of [SHOWN*L]. */
  readonly frames: Int32Array[];
  /** t after each step, aligned with frames (frames[0] is t = 1). */
  readonly times: number[];
  readonly quality: SampleQuality;
  /** The same settings with the other sampler, and the best possible denoiser (ancestral). */
  readonly compare: Row[];
  readonly label: string;
}

/** Check settings typed by a learner; null when fine, else what to fix. */
export function settingsProblem(s: Settings): string | null {
  if (!Number.isInteger(s.steps) || s.steps < 1 || s.steps > MAX_STEPS) return `Steps must be a whole number from 1 to ${MAX_STEPS}.`;
  if (!Number.isFinite(s.temperature) || s.temperature < 0 || s.temperature > 3) return 'Temperature must be a number from 0 (always the likeliest token) to 3.';
  return null;
}

async function generate(model: DiffusionLM, label: string, settings: Settings, seed: number, signal: AbortSignal): Promise<Generated> {
  const options = { ...settings, batch: BATCH, signal };
  const main = await sample(model, rngFor(seed, 'generate'), options);
  if (main.aborted) throw new DOMException('superseded', 'AbortError');
  const other: Sampler = settings.sampler === 'ancestral' ? 'confidence' : 'ancestral';
  const rival = await sample(model, rngFor(seed, `generate-${other}`), { ...options, sampler: other, keepTrajectory: false });
  const best = await sample(bayesDenoiser(), rngFor(seed, 'generate-best'), { ...options, sampler: 'ancestral', keepTrajectory: false });
  const quality = sampleQuality(main.tokens);
  const rows: Row[] = [
    { name: `this model, ${SAMPLER_NAMES[settings.sampler]}`, quality },
    { name: `this model, ${SAMPLER_NAMES[other]}`, quality: sampleQuality(rival.tokens) },
    { name: 'best possible denoiser, ancestral', quality: sampleQuality(best.tokens) },
  ];
  return {
    settings, seed, label, quality, compare: settings.sampler === 'ancestral' ? rows : [rows[1], rows[0], rows[2]],
    frames: [new Int32Array(SHOWN * L).fill(MASK_ID), ...main.trajectory.map((s) => s.tokens.slice(0, SHOWN * L))],
    times: [1, ...main.trajectory.map((s) => s.s)],
  };
}

/** Step through the reverse process, or play it. */
function ReverseProcess({ out }: { out: Generated }) {
  const K = out.frames.length - 1;
  const [k, setK] = useState(K);
  const [playing, setPlaying] = useState(false);
  useEffect(() => setK(out.frames.length - 1), [out]);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setK((j) => (j >= K ? (setPlaying(false), j) : j + 1)), 450);
    return () => clearInterval(timer);
  }, [playing, K]);
  const frame = out.frames[k];
  const masked = frame.reduce((n, v) => n + (v === MASK_ID ? 1 : 0), 0);
  return (
    <div>
      <div className="button-row">
        <button type="button" onClick={() => (k >= K ? (setK(0), setPlaying(true)) : setPlaying(!playing))}>
          {playing ? 'Pause' : k >= K ? 'Replay' : 'Play'}
        </button>
        <button type="button" onClick={() => (setPlaying(false), setK(Math.max(0, k - 1)))} disabled={k === 0} aria-label="Previous step">
          ◀
        </button>
        <button type="button" onClick={() => (setPlaying(false), setK(Math.min(K, k + 1)))} disabled={k === K} aria-label="Next step">
          ▶
        </button>
        <label className="inline">
          Step
          <input type="range" min={0} max={K} value={k} onChange={(e) => (setPlaying(false), setK(Number(e.target.value)))} />
        </label>
        <span data-testid="generate-step" aria-live={playing ? 'off' : 'polite'}>
          Step {k} of {K}, t = {out.times[k].toFixed(2)}: {masked} of {SHOWN * L} shown tokens still masked
        </span>
      </div>
      <ScrollBox what="Generated samples">
        {Array.from({ length: SHOWN }, (_, b) => (
          <TokenRow key={b} tokens={frame.subarray(b * L, (b + 1) * L)} label={`Sample ${b + 1} after step ${k}`} />
        ))}
      </ScrollBox>
    </div>
  );
}

function QualityTable({ rows }: { rows: Row[] }) {
  return (
    <table className="data-table" data-testid="generate-compare">
      <caption>{BATCH} samples each, same steps and temperature</caption>
      <thead>
        <tr>
          <th scope="col">generated by</th>
          <th scope="col">perfectly periodic</th>
          <th scope="col">different samples</th>
          <th scope="col">tokens off, on average</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name}>
            <th scope="row" style={{ textAlign: 'left', fontWeight: 'normal' }}>
              {r.name}
            </th>
            <td className="num">{pct(r.quality.periodicFraction, 0)}</td>
            <td className="num">
              {r.quality.distinct} of {r.quality.sequences}
            </td>
            <td className="num">{r.quality.meanDefect.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function GenerationView({ out: first }: { out: Generated }) {
  const [out, setOut] = useState(first);
  const [draft, setDraft] = useState({ ...first.settings, steps: String(first.settings.steps), temperature: String(first.settings.temperature), seed: String(first.seed) });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef<AbortController | null>(null);
  // A new cell result (another model or seed) wins over a Generate still running.
  useEffect(() => {
    latest.current?.abort();
    latest.current = null;
    setBusy(false);
    setOut(first);
    setDraft((d) => ({ ...d, seed: String(first.seed) }));
  }, [first]);
  useEffect(() => () => latest.current?.abort(), []);

  const settings: Settings = { sampler: draft.sampler, grid: draft.grid, steps: Number(draft.steps), temperature: Number(draft.temperature) };
  const seed = Number(draft.seed);
  const seedOk = /^\d+$/.test(draft.seed.trim()) && seed <= 0xffffffff;
  const problem = settingsProblem(settings) ?? (seedOk ? null : 'Seed must be a whole number from 0 to 4294967295.');
  const run = async () => {
    if (problem) return;
    latest.current?.abort(); // a newer run wins
    const controller = new AbortController();
    latest.current = controller;
    setBusy(true);
    setError(null);
    try {
      const next = await models.use((model, label) => generate(model, label, settings, seed, controller.signal));
      if (latest.current === controller) setOut(next);
    } catch (e) {
      if (latest.current === controller && !controller.signal.aborted) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (latest.current === controller) setBusy(false);
    }
  };

  const q = out.quality;
  const periods = q.periods.byPeriod.map((_, i) => `period ${i + 1}`);
  return (
    <div>
      <form
        className="button-row"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label className="inline">
          Sampler
          <select value={draft.sampler} onChange={(e) => setDraft({ ...draft, sampler: e.target.value as Sampler })}>
            {SAMPLERS.map((s) => (
              <option key={s} value={s}>
                {SAMPLER_NAMES[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Steps
          <input value={draft.steps} onChange={(e) => setDraft({ ...draft, steps: e.target.value })} inputMode="numeric" size={3} aria-invalid={problem?.startsWith('Steps') ?? false} />
        </label>
        <label className="inline">
          Temperature
          <input value={draft.temperature} onChange={(e) => setDraft({ ...draft, temperature: e.target.value })} inputMode="decimal" size={4} aria-invalid={problem?.startsWith('Temperature') ?? false} />
        </label>
        <label className="inline">
          Time grid
          <select value={draft.grid} onChange={(e) => setDraft({ ...draft, grid: e.target.value as TimeGrid })}>
            {TIME_GRIDS.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Seed
          <input value={draft.seed} onChange={(e) => setDraft({ ...draft, seed: e.target.value })} inputMode="numeric" size={10} aria-invalid={!seedOk} />
        </label>
        <button type="submit" className="run" disabled={problem !== null || busy}>
          {busy ? 'Generating…' : 'Generate'}
        </button>
      </form>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          Generation failed: {error}
        </p>
      )}
      <p className="hint">
        {SAMPLER_NAMES[out.settings.sampler]}, {out.settings.steps} steps on a {out.settings.grid} time grid, temperature {out.settings.temperature}, seed {out.seed}. Model: {out.label}.
      </p>
      <ReverseProcess out={out} />
      <p data-testid="generate-quality">
        Of {q.sequences} samples, <strong>{pct(q.periodicFraction, 0)}</strong> are perfectly periodic (a pattern of 2 to 4 tokens, tiled) and {q.distinct} are different
        from each other.
      </p>
      <Plot
        traces={[
          { type: 'bar', x: periods, y: q.periodFractions.map((f) => 100 * f), name: 'these samples' },
          { type: 'bar', x: periods, y: q.dataPeriodFractions.map((f) => 100 * f), name: 'the data (exact)' },
        ]}
        layout={{ xTitle: 'shortest period', yTitle: 'share of sequences (%)', barmode: 'group' }}
        label={`Shortest repeating period of ${q.sequences} generated sequences against the data's exact distribution; ${q.periods.longer} samples repeat no pattern of 4 or fewer tokens`}
        filename="generated-periods"
        height={260}
      />
      <QualityTable rows={out.compare} />
    </div>
  );
}

export const generationCells = {
  generate: cell<Generated>({
    title: 'Generate by unmasking',
    needsModel: true,
    source: () => import('../../../core/sampling.ts?raw'),
    run: ({ seed, signal }) => models.use((model, label) => generate(model, label, DEFAULT_SETTINGS, seed, signal)),
    View: GenerationView,
  }),
};
