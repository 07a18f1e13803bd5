/**
 * The first screen: the payoff (sequences un-masking themselves, made by a shipped
 * checkpoint), what the learner will be able to do, and how long it takes. Everything
 * here is precomputed or counted from the lesson's files: no TensorFlow.js, no Plotly.
 */
import { useMemo, useRef } from 'react';
import type { Section } from '../../lesson/sections.ts';
import { TokenRow } from '../figures/Tokens.tsx';
import { useReducedMotion } from '../plot/preferences.ts';
import { formatMinutes, sectionMinutes } from './lesson-time.ts';
import { frameAt, UNMASKING_DEMO } from './unmasking-demo.ts';
import { ScrollBox } from '../figures/ScrollBox.tsx';
import { useScrollCues } from '../figures/use-scroll-cues.ts';
import { useStepAnimation } from './use-step-animation.ts';

/** One step of the reverse process every this many milliseconds: the whole run in about six seconds. */
const STEP_MS = 190;

export function Hero({ sections }: { sections: readonly Section[] }) {
  const demo = UNMASKING_DEMO;
  const root = useRef<HTMLElement>(null);
  useScrollCues(root, null);
  const reducedMotion = useReducedMotion();
  const anim = useStepAnimation(demo.steps, STEP_MS, !reducedMotion);
  const minutes = useMemo(() => sections.reduce((t, s) => t + sectionMinutes(s), 0), [sections]);
  const cells = sections.reduce((n, s) => n + (s.id === 'exercises' ? 0 : s.cells.length), 0);
  const exercises = sections.find((s) => s.id === 'exercises')?.cells.length ?? 0;
  const masked = demo.sequences.reduce((n, s) => n + frameAt(s, anim.step).filter((t) => t === 0).length, 0);
  const tokens = demo.sequences.reduce((n, s) => n + s.tokens.length, 0);
  return (
    <section ref={root} className="hero" aria-labelledby="hero-title">
      <h2 id="hero-title">Text from noise, one token at a time</h2>
      <p className="hero-lede">
        These sequences start as nothing but <span className="tok masked inline-tok">M</span> ([MASK]). At each step a small Transformer fills some
        blanks in, until every token is there and each sequence repeats a short pattern, like the data it learned from. By the end of this lesson you
        will know how it was trained to do that.
      </p>
      <figure className="hero-demo">
        <ScrollBox what="Generated sequences">
          <div className="hero-strips">
            {demo.sequences.map((s, i) => (
              <TokenRow key={i} tokens={frameAt(s, anim.step)} label={`Generated sequence ${i + 1} after ${anim.step} of ${demo.steps} steps`} />
            ))}
          </div>
        </ScrollBox>
        <div className="hero-controls">
          <button type="button" onClick={anim.playing ? anim.pause : anim.play}>
            <span aria-hidden="true">{anim.playing ? '❚❚' : anim.step >= demo.steps ? '↻' : '▶'}</span>{' '}
            {anim.playing ? 'Pause' : anim.step >= demo.steps ? 'Replay' : 'Play'}
            <span className="visually-hidden"> the unmasking</span>
          </button>
          <label className="inline">
            <span className="visually-hidden">Step of the unmasking</span>
            <input
              type="range"
              min={0}
              max={demo.steps}
              value={anim.step}
              onChange={(e) => anim.seek(Number(e.target.value))}
              aria-valuetext={`step ${anim.step} of ${demo.steps}`}
            />
          </label>
          <span className="num" aria-live="off">
            step {anim.step} of {demo.steps}: {masked} of {tokens} still masked
          </span>
        </div>
        <figcaption className="hint">
          Made by the shipped <code>{demo.checkpoint.replace('.safetensors', '')}</code> checkpoint with the {demo.sampler} sampler ({demo.steps}{' '}
          steps, temperature {demo.temperature}, seed {demo.seed}): the first {demo.sequences.length} of {demo.batch} sequences, precomputed. Section
          11 runs the sampler live.
        </figcaption>
      </figure>
      <div className="hero-facts">
        <div>
          <h3>You will</h3>
          <ul>
            <li>corrupt text the diffusion way, masking each token with probability t, and check it against the math;</li>
            <li>see why the loss is a sum over masked tokens, and how it relates to the ELBO;</li>
            <li>train (or load) a small bidirectional Transformer that fills blanks, and compare it with the best possible;</li>
            <li>write the loss, the predictions and one step of generation yourself, in three short exercises.</li>
          </ul>
        </div>
        <p className="hero-length" data-testid="lesson-length">
          <strong>{formatMinutes(minutes).replace(/^about/, 'About')}</strong>
          <br />
          {sections.length} sections · {cells} live cells · {exercises} exercises · narrated
        </p>
      </div>
    </section>
  );
}
