/**
 * Section 1: Gaussian noise on token ids, rounded back, turns words into whatever
 * word happens to have the neighbouring id (or into no word); masking gives a clean corruption.
 */
import { useState } from 'react';
import { maskArrays } from '../../core/masking.ts';
import { TokenRow } from '../figures/Tokens.tsx';
import { normal, SENTENCE, WORDS } from './sentence.ts';
import { cell, rngFor } from './types.ts';

interface Out {
  readonly z: number[];
  readonly masked: Int32Array;
}

/** The noisy id rounded to the nearest id, said as a word, and whether the word survived. */
export function roundedWord(id: number, noisy: number): string {
  const r = Math.round(noisy);
  if (r < 1 || r >= WORDS.length) return `no word (id ${r})`;
  return r === id ? `${WORDS[r]} (unchanged)` : `${WORDS[r]} (a different word)`;
}

function NoiseView({ out }: { out: Out }) {
  const [sigma, setSigma] = useState(0.5);
  return (
    <div>
      <label className="inline">
        Noise σ{' '}
        <input
          type="range"
          min={0}
          max={2}
          step={0.05}
          value={sigma}
          onChange={(e) => setSigma(Number(e.target.value))}
          aria-valuetext={`sigma ${sigma}`}
        />
        <span className="num">{sigma.toFixed(2)}</span>
      </label>
      <table className="data-table" aria-label="Gaussian noise added to token ids">
        <thead>
          <tr>
            <th scope="col">word</th>
            <th scope="col">id</th>
            <th scope="col">id + noise</th>
            <th scope="col">rounded back to a word</th>
          </tr>
        </thead>
        <tbody>
          {SENTENCE.map((id, i) => {
            const noisy = id + sigma * out.z[i];
            return (
              <tr key={i}>
                <td>{WORDS[id]}</td>
                <td className="num">{id}</td>
                <td className="num">{noisy.toFixed(2)}</td>
                <td>{roundedWord(id, noisy)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="token-row-label">Masking the same sentence with t = 0.5 instead:</p>
      <TokenRow tokens={out.masked} words={WORDS} label="The sentence with half its words masked" />
    </div>
  );
}

export const cells = {
  'noise-vs-mask': cell<Out>({
    title: 'Gaussian noise against masking',
    auto: true,
    run: ({ seed }) => {
      const rng = rngFor(seed, 'noise-vs-mask');
      const z = SENTENCE.map(() => normal(rng));
      return { z, masked: maskArrays(SENTENCE, [0.5], rng).xt };
    },
    View: NoiseView,
  }),
};
