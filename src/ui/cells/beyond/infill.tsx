/**
 * The infilling playground: type a sequence with blanks and see, at every
 * blank, the model's guesses beside the best possible denoiser's (the exact
 * posterior for this data), updated as you type.
 */
import { useEffect, useRef, useState } from 'react';
import { bayesDenoise } from '../../../core/bayes.ts';
import { DEFAULT_DATA, MASK_ID } from '../../../core/config.ts';
import { predictMasked } from '../../../core/predict.ts';
import { models } from '../../engine.ts';
import { TokenRow } from '../../figures/Tokens.tsx';
import { cell } from '../types.ts';
import { formatTokens, parseTokens } from './token-input.ts';

const V = DEFAULT_DATA.vocabSize;
const TOP = 3;

type Guess = { readonly token: number; readonly prob: number };

export interface Infilled {
  readonly tokens: Int32Array;
  /** One row per blank, in order. */
  readonly blanks: { readonly position: number; readonly model: Guess[]; readonly best: Guess[] }[];
  /** Periods the visible tokens allow, with their posterior probability. */
  readonly periods: { readonly period: number; readonly prob: number }[];
  readonly label: string;
}

export const PRESETS: readonly { readonly name: string; readonly text: string }[] = [
  { name: 'period 3, a few blanks', text: '4 9 2 4 _ 2 4 9 _ 4 9 2 _ 9 2 4 9 2 4 _ 2 4 9 2 4 9 _ 4 9 2 4 9' },
  { name: 'mostly blank: two tokens', text: '7 _ _ _ _ _ _ _ _ _ _ 11 _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _' },
  { name: 'ambiguous: which period?', text: '5 1 5 _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _' },
  { name: 'not from the data', text: '1 2 3 4 5 6 _ 8 9 10 11 12 13 14 15 1 2 3 4 5 6 _ 8 9 10 11 12 13 14 15 1 2' },
];

function topOf(probs: Float64Array, position: number): Guess[] {
  const row = Array.from(probs.subarray(position * V, (position + 1) * V), (prob, token) => ({ token, prob })).filter((g) => g.token !== MASK_ID);
  row.sort((a, b) => b.prob - a.prob || a.token - b.token);
  return row.slice(0, TOP);
}

/** The model and the exact posterior at every blank; t is the share of blanks, as in training. */
export async function infill(tokens: Int32Array): Promise<Infilled> {
  const blanks = tokens.reduce((n, v) => n + (v === MASK_ID ? 1 : 0), 0);
  const t = blanks / tokens.length;
  const best = bayesDenoise(tokens, { ...DEFAULT_DATA, seqLen: tokens.length });
  const { preds, label } = await models.use(async (model, label) => ({ preds: await predictMasked(model, tokens, t, TOP), label }));
  return {
    tokens,
    label,
    blanks: preds.map((p) => ({ position: p.position, model: p.top, best: topOf(best.probs, p.position) })),
    periods: best.periods.map((period, i) => ({ period, prob: best.periodPosterior[i] })),
  };
}

function Guesses({ guesses }: { guesses: Guess[] }) {
  return <>{guesses.map((g) => `${g.token} (${g.prob.toFixed(2)})`).join(', ')}</>;
}

function InfillView({ out: first }: { out: Infilled }) {
  const [text, setText] = useState(formatTokens(first.tokens));
  const [out, setOut] = useState(first);
  const [error, setError] = useState<string | null>(null);
  const version = useRef(0);
  // A new cell result (another model) resets the playground and drops answers still on their way.
  useEffect(() => {
    version.current++;
    setOut(first);
    setText(formatTokens(first.tokens));
  }, [first]);

  // Live: recompute shortly after the learner stops typing; an older answer never replaces a newer one.
  useEffect(() => {
    const parsed = parseTokens(text);
    if (parsed.error !== undefined) {
      setError(parsed.error);
      return;
    }
    if (!parsed.tokens.includes(MASK_ID)) {
      setError('Put at least one blank (_) in the sequence for the model to fill.');
      return;
    }
    setError(null);
    const v = ++version.current;
    const timer = setTimeout(() => {
      infill(parsed.tokens).then(
        (next) => v === version.current && setOut(next),
        (e: unknown) => v === version.current && setError(e instanceof Error ? e.message : String(e)),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [text]);

  const agree = out.blanks.filter((b) => b.model[0]?.token === b.best[0]?.token).length;
  const allowed = out.periods.filter((p) => p.prob > 0);
  return (
    <div>
      <label className="block-label" htmlFor="infill-input">
        A sequence of token ids 1–15, with _ for each blank
      </label>
      <textarea id="infill-input" rows={2} cols={70} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} aria-invalid={error !== null} />
      <div className="button-row">
        {PRESETS.map((p) => (
          <button key={p.name} type="button" onClick={() => setText(p.text)}>
            {p.name}
          </button>
        ))}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <TokenRow tokens={out.tokens} label="The sequence being filled in" />
      <p data-testid="infill-summary" role="status">
        {allowed.length === 0
          ? 'No pattern of 2 to 4 tokens fits the visible tokens, so this sequence cannot come from the data: the best possible denoiser can only guess uniformly, and the model is outside anything it was trained on.'
          : `The visible tokens allow period ${allowed.map((p) => `${p.period} (${(100 * p.prob).toFixed(0)}%)`).join(', ')}. `}
        {allowed.length > 0 && `The model's first guess matches the best possible one at ${agree} of ${out.blanks.length} blanks.`}
      </p>
      <table className="data-table" data-testid="infill-table">
        <caption>Top {TOP} guesses at each blank, with probabilities. Model: {out.label}</caption>
        <thead>
          <tr>
            <th scope="col">position</th>
            <th scope="col">the model</th>
            <th scope="col">best possible</th>
            <th scope="col">same first guess?</th>
          </tr>
        </thead>
        <tbody>
          {out.blanks.map((b) => {
            const same = b.model[0]?.token === b.best[0]?.token;
            return (
              <tr key={b.position}>
                <td className="num">{b.position + 1}</td>
                <td>
                  <Guesses guesses={b.model} />
                </td>
                <td>
                  <Guesses guesses={b.best} />
                </td>
                <td className={same ? 'good' : 'bad'}>{same ? '✓ yes' : '✗ no'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export const infillCells = {
  infill: cell<Infilled>({
    title: 'Fill in the blanks yourself',
    needsModel: true,
    source: () => import('../../../core/bayes.ts?raw'),
    run: () => infill(parseTokens(PRESETS[0].text).tokens!),
    View: InfillView,
  }),
};
