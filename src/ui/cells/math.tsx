/** Section 3: the worked examples as live calculators. (The ELBO's weighting is drawn in section 11, with a trained model's losses.) */
import { useState } from 'react';
import { Plot } from '../plot/index.ts';
import { binomialPmf } from '../../core/numeric.ts';
import { cell } from './types.ts';

function NumberField(props: { id: string; label: string; value: number; min: number; max: number; step: number; onChange: (v: number) => void }) {
  const { id, label, value, min, max, step, onChange } = props;
  return (
    <label className="inline" htmlFor={id}>
      {label}
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        style={{ width: '6rem' }}
      />
    </label>
  );
}

function ExpectedMasks() {
  const [L, setL] = useState(10);
  const [t, setT] = useState(0.4);
  const valid = Number.isInteger(L) && L >= 1 && L <= 512 && t >= 0 && t <= 1;
  const pmf = valid ? binomialPmf(L, t) : [];
  return (
    <div>
      <div className="button-row">
        <NumberField id="em-L" label="Tokens L" value={L} min={1} max={512} step={1} onChange={setL} />
        <NumberField id="em-t" label="Ratio t" value={t} min={0} max={1} step={0.05} onChange={setT} />
      </div>
      {!valid ? (
        <p className="error" role="alert">
          L must be a whole number from 1 to 512 and t a number from 0 to 1.
        </p>
      ) : (
        <>
          <p>
            Expected masks: L × t = {L} × {t} = <strong data-testid="expected-masks">{+(L * t).toFixed(4)}</strong>, give or take{' '}
            {Math.sqrt(L * t * (1 - t)).toFixed(2)} (the Binomial's standard deviation).
          </p>
          <Plot
            traces={[{ type: 'bar', x: pmf.map((_, k) => k), y: pmf, name: `Binomial(${L}, ${t})` }]}
            layout={{ xTitle: 'masked tokens k', yTitle: 'probability' }}
            label={`Probability of each number of masked tokens out of ${L} at t = ${t}`}
            filename="binomial-masks"
            height={260}
          />
        </>
      )}
    </div>
  );
}

function LossCalculator() {
  const [p1, setP1] = useState(0.6);
  const [p2, setP2] = useState(0.8);
  const valid = [p1, p2].every((p) => p > 0 && p <= 1);
  const l1 = -Math.log(p1);
  const l2 = -Math.log(p2);
  return (
    <div>
      <p>x₀ = "The cat sat", x_t = "[M] cat [M]". The model's probability of the right word at each mask:</p>
      <div className="button-row">
        <NumberField id="lc-p1" label='P("The")' value={p1} min={0.01} max={1} step={0.05} onChange={setP1} />
        <NumberField id="lc-p2" label='P("sat")' value={p2} min={0.01} max={1} step={0.05} onChange={setP2} />
      </div>
      {valid ? (
        <p className="output-text" data-testid="loss-result">
          L = −log {p1} − log {p2} = {l1.toFixed(3)} + {l2.toFixed(3)} = {(l1 + l2).toFixed(3)} nats
        </p>
      ) : (
        <p className="error" role="alert">
          Probabilities must be in (0, 1]: −log 0 is infinite.
        </p>
      )}
      <p className="hint">Push either probability towards 1 and its term falls to 0: that is what training does.</p>
    </div>
  );
}

export const cells = {
  'expected-masks': cell<null>({ title: 'Calculator: expected number of masks', auto: true, run: () => null, View: ExpectedMasks }),
  'loss-calculator': cell<null>({ title: 'Calculator: the loss of one example', auto: true, run: () => null, View: LossCalculator }),
};
