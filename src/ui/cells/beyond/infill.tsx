/**
 * The infilling playground: type a sequence with blanks and see, at every
 * blank, the model's guesses beside the best possible denoiser's (the exact
 * posterior for this data), updated as you type.
 */
import { useEffect, useRef, useState } from 'react';
import { MASK_ID } from '../../../core/config.ts';
import { errorMessage } from '../../../core/error-message.ts';
import { INFILL_TOP as TOP, type Guess, type Infilled as Computed } from '../../../compute/infill.ts';
import { TokenRow } from '../../figures/Tokens.tsx';
import { models } from '../../models/index.ts';
import { cell } from '../types.ts';
import { formatTokens, parseTokens } from './token-input.ts';

export interface Infilled extends Computed {
  readonly label: string;
}

export const PRESETS: readonly { readonly name: string; readonly text: string }[] = [
  { name: 'period 3, a few blanks', text: '4 9 2 4 _ 2 4 9 _ 4 9 2 _ 9 2 4 9 2 4 _ 2 4 9 2 4 9 _ 4 9 2 4 9' },
  { name: 'mostly blank: two tokens', text: '7 _ _ _ _ _ _ _ _ _ _ 11 _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _' },
  { name: 'ambiguous: which period?', text: '5 1 5 _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _' },
  { name: 'not from the data', text: '1 2 3 4 5 6 _ 8 9 10 11 12 13 14 15 1 2 3 4 5 6 _ 8 9 10 11 12 13 14 15 1 2' },
];

/** The model and the exact posterior at every blank, computed in the compute worker. */
export async function infill(tokens: Int32Array, signal?: AbortSignal): Promise<Infilled> {
  const { result, label } = await models.run('infill', { tokens }, { signal });
  return { ...result, label };
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
    // A newer keystroke cancels the older computation, in the worker too.
    const controller = new AbortController();
    const timer = setTimeout(() => {
      infill(parsed.tokens, controller.signal).then(
        (next) => v === version.current && setOut(next),
        (e: unknown) => v === version.current && !controller.signal.aborted && setError(errorMessage(e)),
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);

  const agree = out.blanks.filter((b) => b.model[0]?.token === b.best[0]?.token).length;
  const allowed = out.periods.filter((p) => p.prob > 0);
  return (
    <div>
      <label className="block-label" htmlFor="infill-input">
        A sequence of token ids 1–15, with _ for each blank
      </label>
      <textarea
        id="infill-input"
        rows={2}
        cols={70}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        aria-invalid={error !== null}
      />
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
        <caption>
          Top {TOP} guesses at each blank, with probabilities. Model: {out.label}
        </caption>
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
    run: ({ signal }) => infill(parseTokens(PRESETS[0].text).tokens!, signal),
    View: InfillView,
  }),
};
