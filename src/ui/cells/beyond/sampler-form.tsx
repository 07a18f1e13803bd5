/**
 * The form both generation cells share (patterns and real words): sampler,
 * steps, temperature, time grid and seed, typed as text and checked before
 * anything runs; and the "a newer run wins" rule their Generate buttons follow.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../../core/error-message.ts';
import { SAMPLERS, TIME_GRIDS, type Sampler, type TimeGrid } from '../../../core/sampling.ts';
import { SAMPLER_NAMES } from '../../../compute/generation.ts';
import { parseSeed } from '../../../core/seed.ts';

/** What a sampler runs with. */
export interface SamplerSettings {
  readonly sampler: Sampler;
  readonly grid: TimeGrid;
  readonly steps: number;
  readonly temperature: number;
}

/** The form's fields as typed: numbers stay text until they are checked. */
export interface SamplerDraft {
  readonly sampler: Sampler;
  readonly grid: TimeGrid;
  readonly steps: string;
  readonly temperature: string;
  readonly seed: string;
}

export function draftOf(settings: SamplerSettings, seed: number): SamplerDraft {
  return {
    sampler: settings.sampler,
    grid: settings.grid,
    steps: String(settings.steps),
    temperature: String(settings.temperature),
    seed: String(seed),
  };
}

const SEED_PROBLEM = 'Seed must be a whole number from 0 to 4294967295.';

/** The draft read: its settings and seed, and the first thing wrong with them (the cell's own check first, then the seed). */
export function readDraft(
  draft: SamplerDraft,
  settingsProblem: (settings: SamplerSettings) => string | null,
): { settings: SamplerSettings; seed: number; problem: string | null } {
  const settings = { sampler: draft.sampler, grid: draft.grid, steps: Number(draft.steps), temperature: Number(draft.temperature) };
  const seed = parseSeed(draft.seed);
  return { settings, seed: seed ?? 0, problem: settingsProblem(settings) ?? (seed === null ? SEED_PROBLEM : null) };
}

export interface SamplerFormProps {
  readonly draft: SamplerDraft;
  readonly onDraft: (draft: SamplerDraft) => void;
  readonly problem: string | null;
  readonly busy: boolean;
  readonly error: string | null;
  /** The button's words, idle and busy ("Generate", "Generating…"). */
  readonly submit: readonly [string, string];
  readonly onSubmit: () => void;
}

export function SamplerForm({ draft, onDraft, problem, busy, error, submit, onSubmit }: SamplerFormProps) {
  return (
    <>
      <form
        className="button-row"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <label className="inline">
          Sampler
          <select value={draft.sampler} onChange={(e) => onDraft({ ...draft, sampler: e.target.value as Sampler })}>
            {SAMPLERS.map((s) => (
              <option key={s} value={s}>
                {SAMPLER_NAMES[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Steps
          <input
            value={draft.steps}
            onChange={(e) => onDraft({ ...draft, steps: e.target.value })}
            inputMode="numeric"
            size={3}
            aria-invalid={problem?.startsWith('Steps') ?? false}
          />
        </label>
        <label className="inline">
          Temperature
          <input
            value={draft.temperature}
            onChange={(e) => onDraft({ ...draft, temperature: e.target.value })}
            inputMode="decimal"
            size={4}
            aria-invalid={problem?.startsWith('Temperature') ?? false}
          />
        </label>
        <label className="inline">
          Time grid
          <select value={draft.grid} onChange={(e) => onDraft({ ...draft, grid: e.target.value as TimeGrid })}>
            {TIME_GRIDS.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Seed
          <input
            value={draft.seed}
            onChange={(e) => onDraft({ ...draft, seed: e.target.value })}
            inputMode="numeric"
            size={10}
            aria-invalid={problem === SEED_PROBLEM}
          />
        </label>
        <button type="submit" className="run" disabled={problem !== null || busy}>
          {busy ? submit[1] : submit[0]}
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
    </>
  );
}

/**
 * One run at a time, the newest winning: starting a run cancels the one before
 * it, and only the newest may report. A change of `resetOn` (a new cell result:
 * another model or seed) cancels whatever is running.
 */
export function useLatestRun(resetOn: unknown): {
  busy: boolean;
  error: string | null;
  start: (task: (signal: AbortSignal) => Promise<void>) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef<AbortController | null>(null);
  useEffect(() => {
    latest.current?.abort();
    latest.current = null;
    setBusy(false);
  }, [resetOn]);
  useEffect(() => () => latest.current?.abort(), []);
  const start = useCallback(async (task: (signal: AbortSignal) => Promise<void>) => {
    latest.current?.abort();
    const controller = new AbortController();
    latest.current = controller;
    setBusy(true);
    setError(null);
    try {
      // The task checks that it is still the newest (signal not aborted) before it reports.
      await task(controller.signal);
    } catch (e) {
      if (latest.current === controller && !controller.signal.aborted) setError(errorMessage(e));
    } finally {
      if (latest.current === controller) setBusy(false);
    }
  }, []);
  return { busy, error, start };
}
