/**
 * Token cells: each token id has its own pastel colour and is written in the
 * cell, and [MASK] is a dark cell reading "M", so colour is never the only signal.
 * A row of ids sits on a fixed grid (every cell the same width, a gap after each block
 * of 8), so rows stacked under each other line up and a period shows as vertical
 * stripes; wider than its column, it scrolls in its own box.
 */
import { MASK_ID } from '../../core/config.ts';
import { ScrollBox, useInScrollBox } from './ScrollBox.tsx';

// 15 light hues (ids 1..15) that keep dark text readable.
const PALETTE = [
  '#8dd3c7',
  '#ffffb3',
  '#bebada',
  '#fb8072',
  '#80b1d3',
  '#fdb462',
  '#b3de69',
  '#fccde5',
  '#d9d9d9',
  '#bc80bd',
  '#ccebc5',
  '#ffed6f',
  '#a6cee3',
  '#fdbf6f',
  '#cab2d6',
];

export function tokenColour(id: number): string {
  return PALETTE[(id - 1 + PALETTE.length) % PALETTE.length];
}

export interface TokenRowProps {
  readonly tokens: ArrayLike<number>;
  /** Accessible name of the row, e.g. "x_t at t = 0.4". */
  readonly label: string;
  /** Words to show instead of ids (index = token id). */
  readonly words?: readonly string[];
}

export function TokenRow({ tokens, label, words }: TokenRowProps) {
  const items = Array.from(tokens);
  const boxed = useInScrollBox();
  const row = (
    <ol className={words ? 'tokens' : 'tokens strip'} aria-label={label}>
      {items.map((id, i) =>
        id === MASK_ID ? (
          <li key={i} className={`tok masked${words ? ' word' : ''}`} aria-label={`position ${i + 1}: mask`}>
            {words ? '[M]' : 'M'}
          </li>
        ) : (
          <li
            key={i}
            className={`tok${words ? ' word' : ''}`}
            style={{ background: tokenColour(id) }}
            aria-label={`position ${i + 1}: ${words ? words[id] : `token ${id}`}`}
          >
            {words ? words[id] : id}
          </li>
        ),
      )}
    </ol>
  );
  // Words wrap like text; ids keep their grid and scroll (with the rows around them, inside a ScrollBox).
  return words || boxed ? row : <ScrollBox what="Token strip">{row}</ScrollBox>;
}

/** "3 7 [M] 9 ..." for text output and tables. */
export function tokensText(tokens: ArrayLike<number>): string {
  return Array.from(tokens, (id) => (id === MASK_ID ? '[M]' : String(id))).join(' ');
}

/** Percent with one decimal, for learners. */
export function pct(x: number, digits = 1): string {
  return `${(100 * x).toFixed(digits)}%`;
}
