/** Glossary search: forgiving about case and punctuation, best matches first. */
import { GLOSSARY, type GlossaryEntry } from '../../lesson/glossary.ts';

/** Lower case, punctuation as spaces: "[MASK]" finds "mask", "cross entropy" finds "Cross-entropy". */
function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Lower is better; null is no match. */
function rank(entry: GlossaryEntry, q: string): number | null {
  const names = [entry.term, ...(entry.aliases ?? [])].map(fold);
  if (names[0] === q) return 0;
  if (names.some((n) => n === q)) return 1;
  if (names.some((n) => n.startsWith(q))) return 2;
  if (names.some((n) => n.includes(` ${q}`))) return 3; // a later word of the name starts with the query
  if (names.some((n) => n.includes(q))) return 4;
  if (fold(entry.definition).includes(q)) return 5;
  return null;
}

/** Every entry matching the query, best first; an empty query lists the whole glossary A to Z. */
export function searchGlossary(query: string, entries: readonly GlossaryEntry[] = GLOSSARY): GlossaryEntry[] {
  const q = fold(query);
  const alphabetical = [...entries].sort((a, b) => fold(a.term).localeCompare(fold(b.term)));
  if (!q) return alphabetical;
  return alphabetical
    .map((entry) => ({ entry, r: rank(entry, q) }))
    .filter((x): x is { entry: GlossaryEntry; r: number } => x.r !== null)
    .sort((a, b) => a.r - b.r) // stable: ties stay A to Z
    .map((x) => x.entry);
}
