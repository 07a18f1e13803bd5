/**
 * The notebook shell: header controls (seed, Run all, Reset, share, projector,
 * theme), the table of contents with progress, and the sections in order.
 * Progress, seed and place survive a reload; the URL carries section and seed.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { EXERCISES, type ExerciseId } from '../../exercises/exercises.ts';
import { exerciseStore } from '../exercises/store.ts';
import { SECTIONS } from '../../lesson/sections.ts';
import { useLessonHelp } from '../assistant/LessonHelp.tsx';
import { Presenter } from '../presenter/Presenter.tsx';
import { INITIAL, loadProgress, parseSeed, parseUrl, saveProgress, shareUrl, type Progress } from './progress.ts';
import { SectionView } from './SectionView.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { UpdatePrompt } from './UpdatePrompt.tsx';

function initialState(): { progress: Progress; warnings: string[]; present: boolean } {
  const stored = loadProgress();
  const url = parseUrl(globalThis.location?.search ?? '');
  return {
    progress: { ...stored, section: url.section ?? stored.section, seed: url.seed ?? stored.seed },
    warnings: url.warnings,
    present: url.present,
  };
}

export function Notebook() {
  const [boot] = useState(initialState);
  const [progress, setProgress] = useState(boot.progress);
  const [warnings, setWarnings] = useState(boot.warnings);
  const [present, setPresent] = useState(boot.present);
  const [runAll, setRunAll] = useState(0);
  const [generation, setGeneration] = useState(0); // bumped by Reset: remounts every cell
  const [rerun] = useState(() => new Set(boot.progress.ran));
  const [seedDraft, setSeedDraft] = useState(String(boot.progress.seed));
  const ran = useMemo(() => new Set(progress.ran), [progress.ran]);
  // An exercise counts when solved, not when shown.
  const solved = useSyncExternalStore(exerciseStore.subscribe, () =>
    (Object.keys(EXERCISES) as ExerciseId[]).filter((id) => exerciseStore.get(id).solvedCode !== null).join(' '),
  );
  const help = useLessonHelp(progress.section);
  const isDone = (section: string, cellId: string) => (section === 'exercises' ? solved.split(' ').includes(cellId) : ran.has(`${section}/${cellId}`));

  useEffect(() => saveProgress(progress), [progress]);

  // Keep the address bar shareable without adding history entries.
  useEffect(() => {
    const next = shareUrl(location.href, progress.section, progress.seed);
    if (next !== location.href) history.replaceState(null, '', next);
  }, [progress.section, progress.seed]);

  const onRan = useCallback((key: string) => {
    setProgress((p) => (p.ran.includes(key) ? p : { ...p, ran: [...p.ran, key] }));
  }, []);

  const goTo = useCallback((section: string) => {
    setProgress((p) => ({ ...p, section }));
    document.getElementById(section)?.scrollIntoView({ block: 'start' });
  }, []);

  // Track the section being read, so a reload comes back to it.
  const scrolling = useRef(false);
  useEffect(() => {
    if (present || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        const top = entries.filter((e) => e.isIntersecting).sort((a, b) => a.boundingClientRect.top - b.boundingClientRect.top)[0];
        const id = top?.target.getAttribute('data-section');
        if (id && !scrolling.current) setProgress((p) => (p.section === id ? p : { ...p, section: id }));
      },
      { rootMargin: '-10% 0px -80% 0px' },
    );
    for (const s of SECTIONS) {
      const el = document.getElementById(s.id);
      if (el) io.observe(el);
    }
    return () => io.disconnect();
  }, [present, generation]);

  // On load, bring the saved or linked section into view.
  useEffect(() => {
    if (present || boot.progress.section === SECTIONS[0].id) return;
    scrolling.current = true;
    document.getElementById(boot.progress.section)?.scrollIntoView({ block: 'start' });
    const done = setTimeout(() => (scrolling.current = false), 500);
    return () => clearTimeout(done);
  }, [present, boot.progress.section]);

  // In-page links to a section (?section=id) move within the notebook.
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const link = (e.target as Element | null)?.closest?.('a[data-section-link]');
      if (!link) return;
      e.preventDefault();
      const id = link.getAttribute('data-section-link')!;
      if (present) setProgress((p) => ({ ...p, section: id }));
      else goTo(id);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [present, goTo]);

  const applySeed = () => {
    const seed = parseSeed(seedDraft);
    if (seed === null) {
      setWarnings([`Seed "${seedDraft}" is not a whole number from 0 to 4294967295.`]);
      return;
    }
    setWarnings([]);
    setProgress((p) => ({ ...p, seed }));
  };

  const reset = () => {
    setProgress({ ...INITIAL, seed: progress.seed });
    setRunAll(0);
    setGeneration((g) => g + 1);
    rerun.clear();
    window.scrollTo({ top: 0 });
  };

  const copyLink = async () => {
    const url = shareUrl(location.href, progress.section, progress.seed);
    try {
      await navigator.clipboard.writeText(url);
      setWarnings([]);
    } catch {
      setWarnings([`Copy this link: ${url}`]);
    }
  };

  if (present) {
    return (
      <>
        <Presenter
          section={progress.section}
          seed={progress.seed}
          onSection={(section) => setProgress((p) => ({ ...p, section }))}
          onRan={onRan}
          onExit={() => setPresent(false)}
        />
        {help.panels}
      </>
    );
  }

  // The helpers sit outside the keyed notebook, so Reset does not wipe the assistant's conversation.
  const notebook = (
    <div className="notebook" key={generation}>
      <a className="skip-link" href="#lesson">
        Skip to the lesson
      </a>
      <header className="topbar">
        <h1>Masked diffusion for text: the forward process</h1>
        <div className="controls" role="toolbar" aria-label="Notebook controls">
          <form
            className="seed-form"
            onSubmit={(e) => {
              e.preventDefault();
              applySeed();
            }}
          >
            <label htmlFor="seed-input">Seed</label>
            <input id="seed-input" inputMode="numeric" value={seedDraft} onChange={(e) => setSeedDraft(e.target.value)} size={10} />
            <button type="submit">Apply</button>
          </form>
          <button type="button" onClick={() => setRunAll((n) => n + 1)}>
            Run all
          </button>
          <button type="button" onClick={reset}>
            Reset
          </button>
          <button type="button" onClick={() => void copyLink()}>
            Copy link
          </button>
          <button type="button" onClick={() => setPresent(true)} title="Projector mode: one section per screen">
            Projector
          </button>
          {help.buttons}
          <ThemeToggle />
        </div>
      </header>
      <UpdatePrompt />
      {warnings.length > 0 && (
        <div className="warnings" role="alert">
          {warnings.map((w) => (
            <p key={w}>{w}</p>
          ))}
          <button type="button" className="quiet" onClick={() => setWarnings([])}>
            Dismiss
          </button>
        </div>
      )}
      <div className="layout">
        <nav className="toc" aria-label="Sections">
          <ol>
            {SECTIONS.map((s) => {
              const done = s.cells.filter((c) => isDone(s.id, c)).length;
              const complete = s.cells.length > 0 && done === s.cells.length;
              return (
                <li key={s.id} className={complete ? 'complete' : undefined}>
                  <a
                    href={`?section=${s.id}`}
                    aria-current={progress.section === s.id ? 'location' : undefined}
                    onClick={(e) => {
                      e.preventDefault();
                      goTo(s.id);
                    }}
                  >
                    <span className="toc-title">
                      {s.index}. {s.title}
                    </span>
                    {s.cells.length > 0 && (
                      <span className="toc-progress" aria-label={s.id === 'exercises' ? `${done} of ${s.cells.length} exercises solved` : `${done} of ${s.cells.length} cells run`}>
                        {complete ? '✓' : `${done}/${s.cells.length}`}
                      </span>
                    )}
                  </a>
                </li>
              );
            })}
          </ol>
        </nav>
        <main id="lesson" className="lesson">
          {SECTIONS.map((s) => (
            <SectionView key={s.id} section={s} seed={progress.seed} rerun={rerun} runAll={runAll} autoRun={false} onRan={onRan} />
          ))}
        </main>
      </div>
    </div>
  );
  return (
    <>
      {notebook}
      {help.panels}
    </>
  );
}
