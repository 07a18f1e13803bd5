/**
 * The notebook shell: header (title, progress, controls), contents, the first screen's
 * payoff, and the sections in order; or, in projector mode, the Presenter. State lives in
 * named hooks: progress (saved), the shareable URL, the reading position, in-page
 * section links, exercises solved.
 */
import { lazy, startTransition, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { SECTIONS, type Section } from '../../lesson/sections.ts';
import { useLessonHelp } from '../assistant/LessonHelp.tsx';
import type { Anchor } from '../presenter/slides.ts';
import { anchorAtTop, anchorElement, findAnchor } from './anchors.ts';
import { Contents } from './Contents.tsx';
import { Hero } from './Hero.tsx';
import { useHelpKey } from './help-key.ts';
import { LessonProgress } from './LessonProgress.tsx';
import { loadProgress, parseUrl, shareUrl, type Progress } from './progress.ts';
import { SectionView } from '../section/SectionView.tsx';
import { Toolbar } from './Toolbar.tsx';
import { UpdatePrompt } from './UpdatePrompt.tsx';
import { useProgress } from './use-progress.ts';
import { useReadingPosition } from './use-reading-position.ts';
import { useSectionLinks } from './use-section-links.ts';
import { useShareableUrl } from './use-shareable-url.ts';
import { useSolvedExercises } from './use-solved-exercises.ts';

// Projector mode and the keyboard help load on first use: the first screen does not pay for them.
const Presenter = lazy(() => import('../presenter/Presenter.tsx').then((m) => ({ default: m.Presenter })));
const KeyboardHelp = lazy(() => import('./KeyboardHelp.tsx').then((m) => ({ default: m.KeyboardHelp })));

interface Boot {
  readonly progress: Progress;
  readonly warnings: string[];
  /** Projector mode from the URL, at this anchor. */
  readonly present: Anchor | null;
  readonly slide?: number;
}

function boot(): Boot {
  const stored = loadProgress();
  const url = parseUrl(globalThis.location?.search ?? '');
  const progress = { ...stored, section: url.section ?? stored.section, seed: url.seed ?? stored.seed };
  return {
    progress,
    warnings: url.warnings,
    present: url.present ? { section: progress.section, part: 0, block: 0 } : null,
    slide: url.slide,
  };
}

/** Pixels the sticky header covers at the top of the page. */
const headerInset = () => document.querySelector('.topbar')?.getBoundingClientRect().bottom ?? 0;

export function Notebook() {
  const [start] = useState(boot);
  const [progress, actions] = useProgress(start.progress);
  const [warnings, setWarnings] = useState(start.warnings);
  // Projector mode, and where it starts: the slide holding this anchor (or the URL's slide).
  const [present, setPresent] = useState<{ anchor: Anchor; slide?: number } | null>(start.present && { anchor: start.present, slide: start.slide });
  const [slide, setSlide] = useState<number | null>(null);
  const [runAll, setRunAll] = useState(0);
  const [generation, setGeneration] = useState(0); // bumped by Reset: remounts every cell
  // Cells run before this page loaded re-run once their section shows: a snapshot, fixed at load, cleared by Reset.
  const [rerun, setRerun] = useState<ReadonlySet<string>>(() => new Set(start.progress.ran));
  const [keysOpen, setKeysOpen] = useState(false);
  // Leaving projector mode scrolls the page to this place once it has rendered.
  const [returnTo, setReturnTo] = useState<Anchor | null>(null);

  const ran = useMemo(() => new Set(progress.ran), [progress.ran]);
  const solved = useSolvedExercises(); // an exercise counts when solved, not when shown
  const done = useCallback(
    (s: Pick<Section, 'id' | 'cells'>) => s.cells.filter((c) => (s.id === 'exercises' ? solved.has(c) : ran.has(`${s.id}/${c}`))).length,
    [ran, solved],
  );
  const help = useLessonHelp(progress.section);
  useHelpKey(useCallback(() => setKeysOpen(true), []));

  useShareableUrl(progress.section, progress.seed, present ? (slide ?? 0) : null);
  const { jumpTo } = useReadingPosition(!present, actions.setSection, generation);
  const goTo = useCallback((section: string) => jumpTo(document.getElementById(section), section), [jumpTo]);
  useSectionLinks(useCallback((id: string) => (present ? actions.setSection(id) : goTo(id)), [present, actions, goTo]));

  // On load, bring the saved or linked section into view. The browser's own scroll
  // restoration would put back a pixel offset from a page whose cells had since loaded
  // above it (a different height), after this jump: the section is the place to keep.
  useEffect(() => {
    if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
  }, []);
  useEffect(() => {
    if (!start.present && start.progress.section !== SECTIONS[0].id) goTo(start.progress.section);
  }, [start, goTo]);

  // Back from projector mode: the same place on the page. A cell there may still be loading
  // (cells load as their section nears the screen): then the section first, the cell once drawn.
  const waitForPlace = useRef<() => void>(() => undefined);
  useEffect(() => () => waitForPlace.current(), []);
  useEffect(() => {
    if (present || !returnTo) return;
    setReturnTo(null);
    waitForPlace.current();
    jumpTo(anchorElement(returnTo), returnTo.section);
    const section = document.getElementById(returnTo.section);
    if (findAnchor(returnTo) || !section) return;
    const drawn = new MutationObserver(() => {
      const el = findAnchor(returnTo);
      if (!el) return;
      waitForPlace.current();
      jumpTo(el, returnTo.section);
    });
    drawn.observe(section, { childList: true, subtree: true });
    const giveUp = setTimeout(() => drawn.disconnect(), 15_000);
    waitForPlace.current = () => {
      drawn.disconnect();
      clearTimeout(giveUp);
    };
  }, [present, returnTo, jumpTo]);

  const reset = () => {
    actions.reset();
    setRunAll(0);
    setGeneration((g) => g + 1);
    setRerun(new Set());
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

  const keys = keysOpen && (
    <Suspense fallback={null}>
      <KeyboardHelp onClose={() => setKeysOpen(false)} />
    </Suspense>
  );

  if (present) {
    return (
      <Suspense
        fallback={
          <p className="presenter-loading" role="status">
            Opening projector mode…
          </p>
        }
      >
        <Presenter
          section={progress.section}
          start={present}
          seed={progress.seed}
          onPlace={(section, n) => {
            actions.setSection(section);
            setSlide(n);
          }}
          onRan={actions.markRan}
          onKeys={() => setKeysOpen(true)}
          onExit={(anchor) => {
            setPresent(null);
            setSlide(null);
            setReturnTo(anchor);
          }}
        />
        {keys}
        {help.panels}
      </Suspense>
    );
  }

  // The helpers sit outside the keyed notebook, so Reset does not wipe the assistant's conversation.
  const notebook = (
    <div className="notebook" key={generation}>
      <a className="skip-link" href="#lesson">
        Skip to the lesson
      </a>
      <Toolbar
        seed={progress.seed}
        onSeed={(seed) => {
          setWarnings([]);
          actions.setSeed(seed);
        }}
        onWarning={(w) => setWarnings([w])}
        // A transition: the button answers at once, and the sections re-render in slices.
        onRunAll={() => startTransition(() => setRunAll((n) => n + 1))}
        onReset={reset}
        onCopyLink={() => void copyLink()}
        onProjector={() => setPresent({ anchor: anchorAtTop(progress.section, headerInset()) })}
        onKeys={() => setKeysOpen(true)}
        helpButtons={help.buttons}
        progress={<LessonProgress sections={SECTIONS} current={progress.section} done={done} />}
      />
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
        <Contents sections={SECTIONS} current={progress.section} done={done} onGo={goTo} />
        <main id="lesson" className="lesson">
          <Hero sections={SECTIONS} />
          {SECTIONS.map((s) => (
            <SectionView key={s.id} section={s} seed={progress.seed} rerun={rerun} runAll={runAll} autoRun={false} onRan={actions.markRan} />
          ))}
        </main>
      </div>
    </div>
  );
  return (
    <>
      {notebook}
      {keys}
      {help.panels}
    </>
  );
}
