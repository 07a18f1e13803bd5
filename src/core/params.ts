/**
 * The model's parameters by PyTorch `state_dict` name, in PyTorch's order.
 * Weights files, the optimizer's flat buffer and the model all agree on this list.
 */
import type { ModelConfig } from './config.ts';

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Name of the sinusoidal buffer: stored in weights files, never trained. */
export const POS_ENC_NAME = 'pos_enc.pe';

export function paramSpecs(c: ModelConfig): ParamSpec[] {
  const d = c.dModel;
  const specs: ParamSpec[] = [
    { name: 'token_embed.weight', shape: [c.vocabSize, d] },
    { name: 'time_mlp.0.weight', shape: [d, 1] },
    { name: 'time_mlp.0.bias', shape: [d] },
    { name: 'time_mlp.2.weight', shape: [d, d] },
    { name: 'time_mlp.2.bias', shape: [d] },
  ];
  for (let i = 0; i < c.nLayers; i++) {
    const p = `transformer.layers.${i}`;
    specs.push(
      { name: `${p}.self_attn.in_proj_weight`, shape: [3 * d, d] },
      { name: `${p}.self_attn.in_proj_bias`, shape: [3 * d] },
      { name: `${p}.self_attn.out_proj.weight`, shape: [d, d] },
      { name: `${p}.self_attn.out_proj.bias`, shape: [d] },
      { name: `${p}.linear1.weight`, shape: [c.dFF, d] },
      { name: `${p}.linear1.bias`, shape: [c.dFF] },
      { name: `${p}.linear2.weight`, shape: [d, c.dFF] },
      { name: `${p}.linear2.bias`, shape: [d] },
      { name: `${p}.norm1.weight`, shape: [d] },
      { name: `${p}.norm1.bias`, shape: [d] },
      { name: `${p}.norm2.weight`, shape: [d] },
      { name: `${p}.norm2.bias`, shape: [d] },
    );
  }
  specs.push({ name: 'output_head.weight', shape: [c.vocabSize, d] }, { name: 'output_head.bias', shape: [c.vocabSize] });
  return specs;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Trainable parameter count: 156,304 for the notebook's model. */
export function countParams(c: ModelConfig): number {
  return paramSpecs(c).reduce((n, s) => n + sizeOf(s.shape), 0);
}

/** The sinusoidal table, [maxLen, dModel]: even columns sin, odd columns cos. */
export function sinusoidalTable(maxLen: number, dModel: number): Float32Array {
  const pe = new Float32Array(maxLen * dModel);
  for (let pos = 0; pos < maxLen; pos++) {
    for (let i = 0; i < dModel; i += 2) {
      // Same float32 steps as PyTorch: exp(i * (-ln 10000 / d)), then pos * div.
      const div = Math.fround(Math.exp(Math.fround(i * Math.fround(-Math.log(10000) / dModel))));
      const angle = Math.fround(pos * div);
      pe[pos * dModel + i] = Math.sin(angle);
      pe[pos * dModel + i + 1] = Math.cos(angle);
    }
  }
  return pe;
}
