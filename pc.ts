import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { DiffusionLM } from './src/core/model.ts';
import { Rng } from './src/core/rng.ts';
import { readST } from '/tmp/scratch/st.ts';
for (const be of ['cpu', 'wasm']) {
  await tf.setBackend(be);
  const m = new DiffusionLM(undefined, new Rng(0));
  const st = readST('tests/fixtures/weights.safetensors'); st.delete('pos_enc.pe');
  m.loadStateDict(st);
  const { cases } = JSON.parse(readFileSync('tests/fixtures/cases.json', 'utf8'));
  let worst = 0;
  for (const c of cases) {
    const L = c.tokens.length;
    const xt = tf.tensor2d([c.tokens], [1, L], 'int32'); const t = tf.tensor2d([[c.t]]);
    const p = await m.predictProbs(xt, t);
    const ref = c.probs.flat();
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(p[i] - ref[i]));
    xt.dispose(); t.dispose();
  }
  console.log(be, 'max abs err', worst, 'tensors', tf.memory().numTensors);
  m.dispose();
}
