/**
 * A box that scrolls sideways when its content is wider than the column (a wide table,
 * strips of 32 tokens on a phone), with a visible cue when it does (use-scroll-cues.ts).
 * Rows inside one box scroll together, so stacked token strips stay lined up.
 */
import { createContext, useContext, type ReactNode } from 'react';

const InScrollBox = createContext(false);

/** True inside a ScrollBox: a token strip there needs no box of its own. */
export function useInScrollBox(): boolean {
  return useContext(InScrollBox);
}

export function ScrollBox({ what, children }: { what: string; children: ReactNode }) {
  return (
    <>
      <div className="scroll-x" data-what={what}>
        <InScrollBox.Provider value={true}>{children}</InScrollBox.Provider>
      </div>
      <p className="scroll-hint" aria-hidden="true">
        Scroll sideways for the rest →
      </p>
    </>
  );
}
