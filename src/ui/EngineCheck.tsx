/**
 * The lesson's set-up cell, for now: which backend this browser gets and why,
 * the model's parameter count computed from the model, and one sequence
 * through the forward process. The full notebook UI builds on this.
 */
import { useEffect, useState } from 'react';
import * as tf from '@tensorflow/tfjs-core';
import { describeBackend, type BackendChoice } from '../core/backend.ts';
import { DEFAULT_DATA, DEFAULT_MODEL, MASK_ID } from '../core/config.ts';
import { generatePatterns } from '../core/data.ts';
import { maskArrays } from '../core/masking.ts';
import { DiffusionLM } from '../core/model.ts';
import { NOTEBOOK } from '../core/recipes.ts';
import { Rng } from '../core/rng.ts';
import { train, type StepReport } from '../core/training.ts';

interface Ready {
  backend: BackendChoice;
  params: number;
  x0: number[];
  xt: number[];
}

/** Two small training steps on this backend: proof that it can learn here. */
async function smokeTrain(): Promise<StepReport[]> {
  const before = tf.memory().numTensors;
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(7));
  const reports: StepReport[] = [];
  try {
    const result = await train(model, { recipe: { ...NOTEBOOK, batchSize: 8 }, seed: 7, steps: 2 }, (r) => reports.push(r));
    if (result.reason !== 'completed') throw new Error(result.message);
  } finally {
    model.dispose();
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`training leaked ${leaked} tensors`);
  return reports;
}

export function EngineCheck() {
  const [state, setState] = useState<Ready | { error: string } | null>(null);
  const [steps, setSteps] = useState<StepReport[] | string | null>(null);
  useEffect(() => {
    let live = true;
    (async () => {
      const { startBackend } = await import('./tfjs-browser.ts');
      const backend = await startBackend();
      const model = new DiffusionLM(DEFAULT_MODEL, new Rng(42));
      const params = model.variables().reduce((n, v) => n + v.size, 0);
      model.dispose();
      const rng = new Rng(42);
      const { x0 } = generatePatterns(rng, 1, DEFAULT_DATA);
      const { xt } = maskArrays(x0, [0.5], rng);
      if (live) setState({ backend, params, x0: [...x0], xt: [...xt] });
    })().catch((e: unknown) => live && setState({ error: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, []);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 900, margin: '2rem auto', lineHeight: 1.5 }}>
      <h1>Masked diffusion for text: the forward process</h1>
      {state === null && <p role="status">Starting TensorFlow.js…</p>}
      {state && 'error' in state && <p role="alert">Could not start the engine: {state.error}</p>}
      {state && 'backend' in state && (
        <section aria-label="Set-up">
          <p>
            Backend: <strong data-testid="backend">{state.backend.name}</strong>. {describeBackend(state.backend.name)}
          </p>
          <ul>
            {state.backend.attempts.filter((a) => !a.ok).map((a) => (
              <li key={a.name}>
                {a.name}: {a.reason}
              </li>
            ))}
          </ul>
          <p>
            DiffusionLM has <strong data-testid="param-count">{state.params.toLocaleString('en-US')}</strong> trainable parameters.
          </p>
          <p>A pattern sequence, then the same sequence with each token masked with probability t = 0.5:</p>
          <pre data-testid="x0">{state.x0.join(' ')}</pre>
          <pre data-testid="xt">{state.xt.map((v) => (v === MASK_ID ? '[M]' : String(v))).join(' ')}</pre>
          <button type="button" onClick={() => {
            setSteps('running');
            smokeTrain().then(setSteps, (e: unknown) => setSteps(`failed: ${e instanceof Error ? e.message : String(e)}`));
          }}>
            Run two training steps here
          </button>
          {typeof steps === 'string' && <p data-testid="train-status">{steps}</p>}
          {Array.isArray(steps) && (
            <ol data-testid="train-steps">
              {steps.map((r) => (
                <li key={r.step}>step {r.step}: loss {r.loss.toFixed(4)}, gradient norm {r.gradNorm.toFixed(3)}</li>
              ))}
            </ol>
          )}
        </section>
      )}
    </main>
  );
}
