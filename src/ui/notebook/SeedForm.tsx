/** The toolbar's seed: a draft the learner types, applied only when it is a valid seed. */
import { useState } from 'react';
import { parseSeed } from '../../core/seed.ts';

export interface SeedFormProps {
  readonly seed: number;
  readonly onSeed: (seed: number) => void;
  readonly onInvalid: (message: string) => void;
}

export function SeedForm({ seed, onSeed, onInvalid }: SeedFormProps) {
  const [draft, setDraft] = useState(String(seed));
  return (
    <form
      className="seed-form"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseSeed(draft);
        if (parsed === null) onInvalid(`Seed "${draft}" is not a whole number from 0 to 4294967295.`);
        else onSeed(parsed);
      }}
    >
      <label htmlFor="seed-input">Seed</label>
      <input id="seed-input" inputMode="numeric" value={draft} onChange={(e) => setDraft(e.target.value)} size={10} />
      <button type="submit">Apply</button>
    </form>
  );
}
