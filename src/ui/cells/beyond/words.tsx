/**
 * Real words: the same DiffusionLM, on letters. The shipped word model writes
 * words by unmasking with both samplers, step by step, and every number it
 * shows is measured here (generated words against the list) or read from the
 * training record shipped beside the weights (bits per character against the
 * unigram and bigram baselines, as it trained).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Sampler } from '../../../core/sampling.ts';
import { SAMPLER_NAMES } from '../../../compute/generation.ts';
import { VERDICTS_SHOWN, type WrittenWords } from '../../../compute/words.ts';
import { tokenChar, WORD_LENGTH, WORDS_MODEL } from '../../../words/alphabet.ts';
import type { WordQuality, WordVerdict } from '../../../words/quality.ts';
import { WORD_SETTINGS, wordSettingsProblem, type WordSettings } from '../../../words/settings.ts';
import { readCheckpoint } from '../../../core/checkpoint.ts';
import { MASK_ID } from '../../../core/config.ts';
import { pct } from '../../figures/Tokens.tsx';
import { compute } from '../../models/index.ts';
import { Plot } from '../../plot/index.ts';
import { cell } from '../types.ts';
import { draftOf, readDraft, SamplerForm, useLatestRun } from './sampler-form.tsx';
import { StepControls, useStepPlayer } from './step-player.tsx';
import { MAX_TRAIN_STEPS, wordRun, type WordRunSnapshot } from './word-run.ts';
import './words.css';

/** The shipped word model and the measurements made while it trained (bench/words.ts). */
export const WORDS_CHECKPOINT = 'words-3000';

export interface TrainingRecord {
  readonly backend: string;
  readonly unigram: number;
  readonly bigram: number;
  readonly rows: readonly {
    readonly step: number;
    readonly trainSeconds: number;
    readonly bitsPerChar: number;
    readonly ancestral: { readonly wordLike: number; readonly real: number; readonly novel: number; readonly examples: readonly string[] };
    readonly confidence: { readonly wordLike: number; readonly real: number; readonly novel: number };
  }[];
}

interface WordModel {
  /** The word model's weights (PyTorch names): the compute worker builds the model from them per job. */
  readonly weights: readonly [string, Float32Array][];
  /** Which model this is, for the learner. */
  readonly label: string;
  readonly record: TrainingRecord;
  /** The list as shipped, for a live run's spec. */
  readonly text: string;
}

let loading: Promise<WordModel> | null = null;

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not download ${url} (HTTP ${response.status})`);
  return response;
}

/** The word list, the weights and their record, fetched once, on the first run; checked here, run and measured in the compute worker. */
function loadWordModel(): Promise<WordModel> {
  loading ??= (async () => {
    const [text, bytes, record] = await Promise.all([
      fetchOk('words/words.txt').then((r) => r.text()),
      fetchOk(`pretrained/${WORDS_CHECKPOINT}.safetensors`).then((r) => r.arrayBuffer()),
      fetchOk(`pretrained/${WORDS_CHECKPOINT}.train.json`).then((r) => r.json() as Promise<TrainingRecord>),
    ]);
    const { weights } = readCheckpoint(new Uint8Array(bytes), WORDS_MODEL);
    return { weights: [...weights], label: `the shipped word model (${WORDS_CHECKPOINT})`, record, text };
  })().catch((e: unknown) => {
    loading = null; // a failed download may be retried
    throw e;
  });
  return loading;
}

/** What the view shows of one Write: the steps of the first words, and both samplers' words measured against the list. */
export interface GeneratedWords {
  readonly settings: WordSettings;
  readonly frames: Int32Array[];
  readonly times: number[];
  readonly quality: WordQuality;
  readonly verdicts: readonly WordVerdict[];
  readonly other: { readonly sampler: Sampler; readonly quality: WordQuality };
  readonly listMeanLength: number;
}

/** FNV-1a of a name, mixed with the seed: each sampler its own stream, the same for the same seed. */
function seedFor(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (seed ^ h) >>> 0;
}

interface WordsOut {
  readonly words: WordModel;
  readonly generated: GeneratedWords;
  readonly seed: number;
}

/** Write and measure in the compute worker: the page only draws. */
async function run(words: WordModel, settings: WordSettings, seed: number, signal?: AbortSignal): Promise<GeneratedWords> {
  const seeds = { main: seedFor(seed, `words-${settings.sampler}`), other: seedFor(seed, 'words-other') };
  const written: WrittenWords = await compute.run(
    'writeWords',
    { weights: words.weights, settings, seeds, batch: 64, shown: 8, list: words.text },
    { signal, model: null },
  );
  return {
    settings: written.settings,
    frames: written.frames,
    times: written.times,
    quality: written.quality,
    verdicts: written.verdicts,
    other: { sampler: written.other.sampler, quality: written.other.quality },
    listMeanLength: written.listMeanLength,
  };
}

function LetterRow({ tokens, label }: { readonly tokens: Int32Array; readonly label: string }) {
  return (
    <ol className="tokens letters" aria-label={label}>
      {Array.from(tokens, (id, i) => (
        <li
          key={i}
          className={id === MASK_ID ? 'letter masked' : 'letter'}
          aria-label={`position ${i + 1}: ${id === MASK_ID ? 'mask' : id === 1 ? 'end' : tokenChar(id)}`}
        >
          {tokenChar(id)}
        </li>
      ))}
    </ol>
  );
}

/** Step through the reverse process on letters, or play it. */
function Unmasking({ out }: { readonly out: GeneratedWords }) {
  const shown = out.frames[0].length / WORD_LENGTH;
  const player = useStepPlayer(out.frames);
  const { k, last: K } = player;
  const frame = out.frames[k];
  return (
    <div>
      <StepControls player={player} testId="words-step">
        Step {k} of {K}, t = {out.times[k].toFixed(2)}
      </StepControls>
      <div className="letter-rows">
        {Array.from({ length: shown }, (_, b) => (
          <LetterRow key={b} tokens={frame.subarray(b * WORD_LENGTH, (b + 1) * WORD_LENGTH)} label={`Word ${b + 1} after step ${k}`} />
        ))}
      </div>
    </div>
  );
}

const VERDICT_MARKS: Record<WordVerdict, readonly [string, string]> = {
  'held-out': ['★', 'a real word the model never saw (held out)'],
  real: ['✓', 'a real word'],
  'word-like': ['○', 'new, word-like'],
  new: ['✗', 'new, not word-like'],
};

/** A word with its verdict as a mark and in words, never colour alone. */
function Verdicts({ quality, verdicts }: { readonly quality: WordQuality; readonly verdicts: readonly WordVerdict[] }) {
  return (
    <ul className="word-verdicts" aria-label="Generated words and what they are">
      {quality.words.slice(0, VERDICTS_SHOWN).map((w, i) => {
        const [mark, meaning] = VERDICT_MARKS[verdicts[i]];
        return (
          <li key={i} title={meaning}>
            <span aria-hidden="true">{mark}</span> {w}
            <span className="visually-hidden">: {meaning}</span>
          </li>
        );
      })}
    </ul>
  );
}

function QualityTable({ rows, listMeanLength }: { readonly rows: readonly { name: string; q: WordQuality }[]; readonly listMeanLength: number }) {
  return (
    <table className="data-table" data-testid="words-quality">
      <caption>{rows[0].q.samples} words each, same steps and temperature</caption>
      <thead>
        <tr>
          <th scope="col">written by</th>
          <th scope="col">well formed</th>
          <th scope="col">real words</th>
          <th scope="col">of them held out</th>
          <th scope="col">new words</th>
          <th scope="col">word-like</th>
          <th scope="col">different</th>
          <th scope="col">letters a word (list: {listMeanLength.toFixed(1)})</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ name, q }) => (
          <tr key={name}>
            <th scope="row" style={{ textAlign: 'left', fontWeight: 'normal' }}>
              {name}
            </th>
            <td className="num">{pct(q.wellFormed, 0)}</td>
            <td className="num">{pct(q.real, 0)}</td>
            <td className="num">{pct(q.heldOut, 0)}</td>
            <td className="num">{pct(q.novel, 0)}</td>
            <td className="num">{pct(q.wordLike, 0)}</td>
            <td className="num">{q.distinct}</td>
            <td className="num">{q.meanLength.toFixed(1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Record({ record }: { readonly record: TrainingRecord }) {
  const seconds = record.rows.map((r) => r.trainSeconds);
  const last = record.rows[record.rows.length - 1];
  const readable = record.rows.find((r) => r.ancestral.wordLike >= 0.5);
  return (
    <>
      <Plot
        traces={[
          { type: 'scatter', mode: 'lines+markers', x: seconds, y: record.rows.map((r) => r.bitsPerChar), name: 'the model (ELBO, an upper bound)' },
          { type: 'scatter', x: [seconds[0], seconds[seconds.length - 1]], y: [record.bigram, record.bigram], name: 'bigram baseline' },
          { type: 'scatter', x: [seconds[0], seconds[seconds.length - 1]], y: [record.unigram, record.unigram], name: 'unigram baseline' },
        ]}
        layout={{ xTitle: 'training time (s)', yTitle: 'validation bits per character', yRange: [2.5, 7] }}
        label={`Validation bits per character while the shipped word model trained: ${last.bitsPerChar.toFixed(2)} at the end, against ${record.bigram.toFixed(2)} for a bigram model and ${record.unigram.toFixed(2)} for a unigram model`}
        filename="words-bits-per-character"
        height={260}
      />
      <p data-testid="words-record">
        Trained for {last.step} steps ({Math.round(last.trainSeconds)} s of training on {record.backend} in Node on the lesson's 2-core machine). Its
        validation bits per character fell to <strong>{last.bitsPerChar.toFixed(2)}</strong>, against {record.bigram.toFixed(2)} for a bigram model
        and {record.unigram.toFixed(2)} for a unigram model on the same held-out words.{' '}
        {readable
          ? `Most of its ancestral samples were word-like after ${Math.round(readable.trainSeconds)} s (step ${readable.step}).`
          : 'Its ancestral samples never became mostly word-like.'}
      </p>
    </>
  );
}

function WordsView({ out: first }: { readonly out: WordsOut }) {
  const [out, setOut] = useState(first);
  const [draft, setDraft] = useState(() => draftOf(first.generated.settings, first.seed));
  const { busy, error, start } = useLatestRun(first);
  useEffect(() => setOut(first), [first]);

  const { settings, seed, problem } = readDraft(draft, wordSettingsProblem);
  const generate = () =>
    start(async (signal) => {
      const generated = await run(out.words, settings, seed, signal);
      if (!signal.aborted) setOut({ ...out, generated, seed });
    });
  const g = out.generated;
  const rows = [
    { name: `this model, ${SAMPLER_NAMES[g.settings.sampler]}`, q: g.quality },
    { name: `this model, ${SAMPLER_NAMES[g.other.sampler]}`, q: g.other.quality },
  ];
  return (
    <div>
      <SamplerForm
        draft={draft}
        onDraft={setDraft}
        problem={problem}
        busy={busy}
        error={error}
        submit={['Write words', 'Writing…']}
        onSubmit={() => void (problem ? undefined : generate())}
      />
      <p className="hint">
        {SAMPLER_NAMES[g.settings.sampler]}, {g.settings.steps} steps on a {g.settings.grid} time grid, temperature {g.settings.temperature}, seed{' '}
        {out.seed}. Model: {out.words.label}. · is the end token, _ a mask.
      </p>
      <Unmasking out={g} />
      <p data-testid="words-summary">
        Of {g.quality.samples} words, <strong>{pct(g.quality.real, 0)}</strong> are in the list ({pct(g.quality.heldOut, 0)} are held-out words it
        never trained on), {pct(g.quality.novel, 0)} are new, and <strong>{pct(g.quality.wordLike, 0)}</strong> are word-like.
      </p>
      <Verdicts quality={g.quality} verdicts={g.verdicts} />
      <QualityTable rows={rows} listMeanLength={g.listMeanLength} />
      <Record record={out.words.record} />
      <TrainWords
        words={out.words}
        seed={out.seed}
        onUse={async (weights, label) => {
          const words = { ...out.words, weights, label };
          setOut({ ...out, words, generated: await run(words, out.generated.settings, out.seed) });
        }}
      />
    </div>
  );
}

/** When most words of the check-ups were first word-like, in training seconds. */
function firstReadable(run: WordRunSnapshot, sampler: 'ancestral' | 'confidence'): string {
  const c = run.checkups.find((x) => x[sampler].wordLike > 0.5);
  return c ? `after ${Math.round(c.trainSeconds)} s (step ${c.step})` : 'not yet';
}

/** Train a fresh word model here, in the training worker, and watch it learn to spell. */
function TrainWords({
  words,
  seed,
  onUse,
}: {
  readonly words: WordModel;
  readonly seed: number;
  readonly onUse: (weights: readonly [string, Float32Array][], label: string) => Promise<void>;
}) {
  const live = useSyncExternalStore(wordRun.subscribe, wordRun.getSnapshot);
  const [steps, setSteps] = useState('600');
  const [using, setUsing] = useState(false);
  const n = Number(steps);
  const stepsOk = Number.isInteger(n) && n >= 1 && n <= MAX_TRAIN_STEPS;
  const busy = live.phase === 'starting' || live.phase === 'running' || live.phase === 'stopping';
  const seconds = live.checkups.map((c) => c.trainSeconds);
  const last = live.checkups[live.checkups.length - 1];
  const ends = seconds.length ? [0, Math.max(...seconds)] : [0, 1];
  const use = async () => {
    if (!live.weights) return;
    setUsing(true);
    try {
      await onUse(live.weights, `the word model trained here (${live.step} steps)`);
    } finally {
      setUsing(false);
    }
  };
  return (
    <section className="train-words" aria-labelledby="train-words-title">
      <h4 id="train-words-title">Train one here</h4>
      <p className="hint">
        A fresh word model, trained in the background worker on the training words while you read. Every tenth of the run it is measured: bits per
        character on held-out words, and 64 words from each sampler.
      </p>
      <form
        className="button-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (stepsOk) void wordRun.start(words.text, n, seed);
        }}
      >
        <label className="inline">
          Training steps
          <input value={steps} onChange={(e) => setSteps(e.target.value)} inputMode="numeric" size={5} aria-invalid={!stepsOk} />
        </label>
        {busy ? (
          <button type="button" onClick={() => wordRun.stop()} disabled={live.phase !== 'running'}>
            Stop
          </button>
        ) : (
          <button type="submit" className="run" disabled={!stepsOk}>
            Train {stepsOk ? n : ''} steps
          </button>
        )}
        {live.weights && !busy && (
          <button type="button" onClick={() => void use()} disabled={using}>
            Write words with this model
          </button>
        )}
      </form>
      {!stepsOk && (
        <p className="error" role="alert">
          Steps must be a whole number from 1 to {MAX_TRAIN_STEPS}.
        </p>
      )}
      <p role="status" data-testid="train-words-status">
        {live.phase === 'idle'
          ? ''
          : `${live.message ? `${live.message} ` : ''}Step ${live.step} of ${live.totalSteps}${live.stepsPerSec > 0 ? `, ${live.stepsPerSec.toFixed(1)} steps/s` : ''}, ${Math.round(live.trainSeconds)} s of training${live.backend ? ` on ${live.backend.name}${live.backend.where === 'page' ? ', on the page' : ''}` : ''}.`}
      </p>
      {live.checkups.length > 0 && (
        <>
          <Plot
            traces={[
              {
                type: 'scatter',
                mode: 'lines+markers',
                x: seconds,
                y: live.checkups.map((c) => c.bitsPerChar),
                name: 'this run (ELBO, an upper bound)',
              },
              { type: 'scatter', x: ends, y: [words.record.bigram, words.record.bigram], name: 'bigram baseline' },
              { type: 'scatter', x: ends, y: [words.record.unigram, words.record.unigram], name: 'unigram baseline' },
            ]}
            layout={{ xTitle: 'training time (s)', yTitle: 'validation bits per character', yRange: [2.5, 7] }}
            label={`Validation bits per character of the run here: ${last.bitsPerChar.toFixed(2)} at step ${last.step}, against ${words.record.bigram.toFixed(2)} (bigram) and ${words.record.unigram.toFixed(2)} (unigram)`}
            filename="words-live-bits-per-character"
            height={240}
          />
          <Plot
            traces={[
              {
                type: 'scatter',
                mode: 'lines+markers',
                x: seconds,
                y: live.checkups.map((c) => 100 * c.ancestral.wordLike),
                name: 'word-like, ancestral',
              },
              {
                type: 'scatter',
                mode: 'lines+markers',
                x: seconds,
                y: live.checkups.map((c) => 100 * c.confidence.wordLike),
                name: 'word-like, surest first',
              },
              {
                type: 'scatter',
                mode: 'lines+markers',
                x: seconds,
                y: live.checkups.map((c) => 100 * c.confidence.real),
                name: 'real words, surest first',
              },
            ]}
            layout={{ xTitle: 'training time (s)', yTitle: 'share of 64 words (%)', yRange: [0, 100] }}
            label={`Generated words at each check-up of the run here: at step ${last.step}, ${pct(last.ancestral.wordLike, 0)} word-like (ancestral), ${pct(last.confidence.wordLike, 0)} (surest first)`}
            filename="words-live-quality"
            height={240}
          />
          <p data-testid="train-words-checkup">
            At step {last.step}: {last.bitsPerChar.toFixed(2)} bits per character. Ancestral: {pct(last.ancestral.wordLike, 0)} word-like,{' '}
            {pct(last.ancestral.real, 0)} real, {last.ancestral.meanLength.toFixed(1)} letters a word (“
            {last.ancestral.examples.slice(0, 5).join(', ')}”). Surest first: {pct(last.confidence.wordLike, 0)} word-like,{' '}
            {pct(last.confidence.real, 0)} real (“{last.confidence.examples.slice(0, 5).join(', ')}”). Most words word-like: ancestral{' '}
            {firstReadable(live, 'ancestral')}, surest first {firstReadable(live, 'confidence')}.
          </p>
        </>
      )}
    </section>
  );
}

export const wordsCells = {
  'real-words': cell<WordsOut>({
    title: 'Real words: write them by unmasking',
    source: () => import('../../../compute/words.ts?raw'),
    run: async ({ seed, signal }) => {
      const words = await loadWordModel();
      return { words, seed, generated: await run(words, WORD_SETTINGS, seed, signal) };
    },
    View: WordsView,
  }),
};
