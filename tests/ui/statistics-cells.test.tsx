/** Section 6's histogram cell: the page draws counts the compute side tallied, for the ratio the slider picks. */
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { maskedCountHistogram, type MaskedCountHistogram } from '../../src/compute/masking-statistics.ts';
import { cells } from '../../src/ui/cells/statistics.tsx';
import type { CellContext } from '../../src/ui/cells/types.ts';
import { compute } from '../../src/ui/models/index.ts';

type Histogram = MaskedCountHistogram & { seed: number };
const def = cells.histogram as unknown as {
  run: (c: CellContext) => Promise<Histogram>;
  View: (p: { out: Histogram; ctx: CellContext }) => ReactElement;
};
const ctx: CellContext = { seed: 42, signal: new AbortController().signal, progress: () => undefined };

describe('the masked-count histogram', () => {
  it('draws t = 0.5 from the compute job, then the tally of each ratio the slider picks', async () => {
    const out = await def.run(ctx);
    expect(out).toEqual({ ...maskedCountHistogram({ seed: 42, t: 0.5 }), seed: 42 });
    render(<def.View out={out} ctx={ctx} />);
    expect(screen.getByText(/^Mean masked count/).textContent).toBe(`Mean masked count ${out.mean.toFixed(2)}; the Binomial's mean is L·t = 16.00.`);

    fireEvent.change(screen.getByRole('slider'), { target: { value: '0.8' } });
    const at08 = maskedCountHistogram({ seed: 42, t: 0.8 });
    await waitFor(() =>
      expect(screen.getByText(/^Mean masked count/).textContent).toBe(
        `Mean masked count ${at08.mean.toFixed(2)}; the Binomial's mean is L·t = 25.60.`,
      ),
    );
    expect(
      screen
        .getByText(/^Mean masked count/)
        .closest('[aria-busy]')
        ?.getAttribute('aria-busy'),
    ).toBe('false');

    // Back to 0.5: the cell's own draw again.
    fireEvent.change(screen.getByRole('slider'), { target: { value: '0.5' } });
    await waitFor(() => expect(screen.getByText(/^Mean masked count/).textContent).toContain(`count ${out.mean.toFixed(2)};`));
  });

  it("says why a tally failed, keeps the last histogram, and drops the message back at the cell's ratio", async () => {
    const out = { ...maskedCountHistogram({ seed: 7, t: 0.5 }), seed: 7 };
    const run = vi.spyOn(compute, 'run').mockRejectedValueOnce(new Error('the compute worker stopped'));
    try {
      render(<def.View out={out} ctx={ctx} />);
      fireEvent.change(screen.getByRole('slider'), { target: { value: '0.3' } });
      expect((await screen.findByRole('alert')).textContent).toBe('Could not count the masks at t = 0.30: the compute worker stopped');
      expect(screen.getByText(/^Mean masked count/).textContent).toContain(`count ${out.mean.toFixed(2)};`);
      fireEvent.change(screen.getByRole('slider'), { target: { value: '0.5' } });
      await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    } finally {
      run.mockRestore();
    }
  });
});
