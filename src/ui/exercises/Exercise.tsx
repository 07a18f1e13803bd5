/**
 * One TODO: the editor with the API beside it, Check (Shift+Enter), Reset,
 * a ladder of hints, the solution after a first attempt, and checks that say
 * what was tested and, when it fails, which mistake it looks like.
 */
import { useState, useSyncExternalStore } from 'react';
import { exerciseCases } from '../../exercises/cases.ts';
import { API_DOC, EXERCISES, type ExerciseId } from '../../exercises/exercises.ts';
import type { CodeProblem } from '../../exercises/guards.ts';
import { describeLeaks, isTheSolution, type CheckReport } from '../../exercises/verdict.ts';
import { useModelSnapshot } from '../models/use-model-snapshot.ts';
import { models } from '../models/index.ts';
import { ModelPicker } from '../models/ModelPicker.tsx';
import { CodeEditor } from './CodeEditor.tsx';
import { exerciseModel, exerciseRunner } from './runner-instance.ts';
import { loadSolution, SOLUTIONS_IN_BUILD } from './solutions.ts';
import { exerciseStore, solutionsHidden } from './store.ts';
import { errorMessage } from '../../core/error-message.ts';

const HINT_NAMES = ['The idea', 'The API', 'Nearly the answer'];

function describeProblem(p: CodeProblem): string {
  return p.line === null ? p.message : `Line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}`;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
// Counts print as counts, losses with four decimals.
const show = (x: unknown) => (typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(4)) : (JSON.stringify(x) ?? String(x)));

/** What the student's function returned on the public case; any shape at all must render. */
function PublicOutput({ id, out }: { id: ExerciseId; out: unknown }) {
  if (id === 'todo-1') {
    const o = isObject(out) ? out : {};
    return (
      <p className="output-text">Your function returned: {isObject(out) ? `loss = ${show(o.loss)}, nMasked = ${show(o.nMasked)}` : show(out)}</p>
    );
  }
  if (!Array.isArray(out)) return <p className="output-text">Your function returned {show(out)}.</p>;
  if (id === 'todo-3') {
    const tokens = out.map((v) => (v === 0 ? '[M]' : show(v))).join(' ');
    return <p className="output-text">Your function returned x_s = {tokens}</p>;
  }
  const line = (p: unknown) =>
    isObject(p) && Array.isArray(p.top)
      ? `position ${show(p.position)}: ${p.top.map((g) => (isObject(g) ? `${show(g.token)} (${show(g.prob)})` : show(g))).join(', ')}`
      : show(p);
  return (
    <p className="output-text">
      Your function returned {out.length} entries; the first three:
      {out.slice(0, 3).map((p) => `\n  ${line(p)}`)}
    </p>
  );
}

export function Exercise({ id }: { id: ExerciseId }) {
  const ex = EXERCISES[id];
  const st = useSyncExternalStore(exerciseStore.subscribe, () => exerciseStore.get(id));
  const model = useModelSnapshot();
  const [report, setReport] = useState<CheckReport | null>(null);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  /** The last pass was the revealed solution's, which does not count as solved. */
  const [passedWithSolution, setPassedWithSolution] = useState(false);
  const hideSolutions = solutionsHidden() || !SOLUTIONS_IN_BUILD;

  const check = async () => {
    if (running) return;
    const model = models.current();
    if (model === null) {
      setFailure('Load or train a model first (the buttons below): the checks run your code on it.');
      return;
    }
    setRunning(true);
    setFailure(null);
    const code = exerciseStore.get(id).code;
    exerciseStore.update(id, { attempts: exerciseStore.get(id).attempts + 1 });
    try {
      const report = await exerciseRunner.check(id, code, exerciseCases(id), exerciseModel(model));
      const shown = exerciseStore.get(id).solutionShown ? await loadSolution(id) : null;
      const borrowed = report.passed && shown !== null && isTheSolution(code, shown);
      setReport(report);
      setPassedWithSolution(borrowed);
      if (report.passed && !borrowed) exerciseStore.update(id, { solvedCode: code });
    } catch (e) {
      setFailure(`The checker itself failed: ${errorMessage(e)}`);
    } finally {
      setRunning(false);
    }
  };

  const solved = st.solvedCode !== null;
  const allPassed = report?.passed === true;
  const leakNote = report ? describeLeaks(report.leaks) : null;
  return (
    <div className="exercise" data-exercise={id}>
      <p className="exercise-status" data-testid={`${id}-status`}>
        {solved ? '✓ Solved.' : 'Not solved yet.'} Attempts: {st.attempts}.
      </p>
      <details className="api-doc">
        <summary>What your code can use</summary>
        <dl className="kv">
          {API_DOC[id].map(([name, doc]) => (
            <div key={name} style={{ display: 'contents' }}>
              <dt>
                <code>{name}</code>
              </dt>
              <dd>{doc}</dd>
            </div>
          ))}
        </dl>
      </details>
      <CodeEditor value={st.code} label={`Code for ${ex.title}`} onChange={(code) => exerciseStore.update(id, { code })} onRun={() => void check()} />
      <div className="button-row">
        <button type="button" className="run" onClick={() => void check()} disabled={running || model.label === null} aria-keyshortcuts="Shift+Enter">
          {running ? 'Checking…' : 'Check my code'}
        </button>
        <button
          type="button"
          onClick={() => {
            if (st.code === ex.starter || confirm('Replace your code with the starter code? Your current code will be lost.')) {
              exerciseStore.update(id, { code: ex.starter });
              setReport(null);
            }
          }}
        >
          Reset to starter
        </button>
        <button type="button" onClick={() => exerciseStore.update(id, { hints: Math.min(3, st.hints + 1) })} disabled={st.hints >= 3}>
          {st.hints === 0 ? 'Show a hint' : st.hints < 3 ? 'Another hint' : 'No more hints'}
        </button>
        {!hideSolutions && (
          <button
            type="button"
            disabled={st.attempts === 0}
            title={st.attempts === 0 ? 'Try checking your code once first' : undefined}
            onClick={async () => {
              if (
                !confirm(
                  'Show the reference solution in the editor? Your current code will be replaced. Checking it will not count as solving the TODO.',
                )
              )
                return;
              const solution = await loadSolution(id);
              if (solution === null) return;
              exerciseStore.update(id, { code: solution, solutionShown: true });
              setReport(null);
            }}
          >
            Reveal the solution
          </button>
        )}
      </div>
      {hideSolutions && (
        <p className="hint">
          {SOLUTIONS_IN_BUILD
            ? 'Your instructor has hidden the solutions for this session.'
            : 'This is a class build of the lesson: it has no solutions to reveal.'}
        </p>
      )}
      {model.label === null && <ModelPicker />}
      {st.hints > 0 && (
        <ol className="hints">
          {ex.hints.slice(0, st.hints).map((h, i) => (
            <li key={i}>
              <strong>{HINT_NAMES[i]}.</strong> <span className="hint-text">{h}</span>
            </li>
          ))}
        </ol>
      )}
      <div aria-live="polite">
        {running && (
          <p role="status" className="running">
            <span className="spinner" aria-hidden="true" /> Running your code in a sandbox…
          </p>
        )}
        {failure && (
          <p className="error" role="alert">
            {failure}
          </p>
        )}
        {report?.problem && (
          <p className="error" role="alert" data-testid={`${id}-problem`}>
            {describeProblem(report.problem)}
          </p>
        )}
        {report?.outputs[0] !== undefined && <PublicOutput id={id} out={report.outputs[0]} />}
        {report && report.checks.length > 0 && (
          <ul className="checks" data-testid={`${id}-checks`}>
            {report.checks.map((c) => (
              <li key={c.label} className={c.passed ? 'pass' : 'fail'}>
                <span aria-hidden="true">{c.passed ? '✓' : '✗'}</span> <strong>{c.label}</strong> (
                {c.hidden ? 'hidden: you see the result, not the input' : 'public'}): {c.what}.{' '}
                {c.passed ? <span className="pass-text">Passed.</span> : <span className="fail-text">Failed. {c.message}</span>}
              </li>
            ))}
          </ul>
        )}
        {allPassed && !passedWithSolution && (
          <p className="good" role="status">
            All checks pass. {id === 'todo-2' ? 'The Results section now uses your predictMasked.' : 'Well done.'}
          </p>
        )}
        {allPassed && passedWithSolution && (
          <p className="hint" role="status" data-testid={`${id}-borrowed`}>
            All checks pass: solved with the solution shown, so it does not count as solved. Reset to the starter code and write it yourself when you
            are ready
            {id === 'todo-2' ? '; until then Results keeps using the reference predictMasked.' : '.'}
          </p>
        )}
        {leakNote && (
          <p className="hint" data-testid={`${id}-leaks`}>
            {leakNote}
          </p>
        )}
      </div>
    </div>
  );
}
