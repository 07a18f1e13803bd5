/**
 * DiffusionLM, the notebook's bidirectional Transformer, in TensorFlow.js.
 *
 *   h = token_embed(x_t) + pe[:L] + time(t)            [B, L, d]
 *     time(t) = time_mlp(t) (the notebook), fixed sinusoids of 1000·t, or nothing
 *   3 x pre-LN encoder layer (no causal mask):
 *     h = h + Dropout(SelfAttn(LN1(h)))
 *     h = h + Dropout(W2 Dropout(ReLU(W1 LN2(h))))
 *   logits = output_head(h)                            [B, L, V]
 *
 * Parameters carry PyTorch's state_dict names. Linear weights are held as
 * [in, out] (PyTorch's [out, in] transposed) so every matmul is plain; the
 * weights I/O transposes at the boundary.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_MODEL, validateModelConfig, type ModelConfig } from './config.ts';
import { keepMaskTensor } from './kernels/wasm-dropout-mask.ts';
import { addDropped, attend, dense, dropped, embed, layerNorm, type Activation } from './ops.ts';
import { paramSpecs, sinusoidalTable, sizeOf } from './params.ts';
import { TIME_INPUTS, type TimeInput } from './model-options.ts';
import type { Rng } from './rng.ts';

export { TIME_INPUTS, type TimeInput } from './model-options.ts';

/** The sinusoidal time input reads t as a position in 0..1000, as DDPM reads its timestep. */
const TIME_POSITIONS = 1000;

export interface InitOptions {
  /** Std of the token embedding's N(0, std²) init; PyTorch's nn.Embedding uses 1. */
  readonly embedStd?: number;
  /**
   * nn.TransformerEncoder deep-copies one layer, so PyTorch starts every layer
   * with identical weights. True reproduces that; false draws each layer anew.
   */
  readonly cloneLayers?: boolean;
  /** How t enters the model; the notebook's 'learned' MLP by default. */
  readonly timeInput?: TimeInput;
  /**
   * Multiplies the initial query and key projections (the first two thirds of
   * each in_proj_weight; 1 is PyTorch's xavier_uniform). Larger initial
   * attention logits make every head prefer some positions from the start
   * instead of averaging the whole sequence. Same draws, only scaled.
   */
  readonly qkInitScale?: number;
}

export interface ForwardOptions {
  /** Train mode: dropout on. Needs `rng` when the model's dropout > 0. */
  readonly training?: boolean;
  /** Source of dropout masks in train mode. */
  readonly rng?: Rng;
  /** Add a causal mask (the GPT contrast the lesson shows); the model itself never uses one. */
  readonly causal?: boolean;
  /** Feed t = 0 to the time input instead of t (for recipes that drop the time input). */
  readonly ignoreTime?: boolean;
  /** Dropout rate in train mode; defaults to the config's (0.1). */
  readonly dropout?: number;
  /** Receives each layer's attention weights [H*B, L, L] (head-major), kept past the forward's tidy: the caller disposes them. */
  readonly attention?: tf.Tensor3D[];
}

/** True for PyTorch Linear weights, which we store transposed. */
function isLinearWeight(name: string, shape: readonly number[]): boolean {
  return shape.length === 2 && name !== 'token_embed.weight';
}

export class DiffusionLM {
  readonly config: ModelConfig;
  /** Trainable variables by PyTorch name, in state_dict order. Linear weights are [in, out]. */
  readonly params: ReadonlyMap<string, tf.Variable>;
  readonly timeInput: TimeInput;
  private readonly pe: tf.Tensor2D; // [maxLen, d]
  /** Frequencies of the sinusoidal time input [1, d/2]; null for the other variants. */
  private readonly timeFreq: tf.Tensor2D | null;
  private disposed = false;

  constructor(config: ModelConfig = DEFAULT_MODEL, rng: Rng, init: InitOptions = {}) {
    this.config = validateModelConfig(config);
    this.timeInput = init.timeInput ?? 'learned';
    if (!TIME_INPUTS.includes(this.timeInput)) {
      throw new RangeError(`unknown time input "${String(this.timeInput)}"; choose one of: ${TIME_INPUTS.join(', ')}`);
    }
    const values = initialValues(this.config, rng, init);
    const params = new Map<string, tf.Variable>();
    // Variables survive tidy; their initial-value tensors do not need to.
    tf.tidy(() => {
      for (const { name, shape } of paramSpecs(this.config)) {
        params.set(name, tf.variable(tf.tensor(values.get(name)!, internalShape(name, shape)), true));
      }
    });
    this.params = params;
    this.pe = tf.tensor2d(sinusoidalTable(this.config.maxLen, this.config.dModel), [this.config.maxLen, this.config.dModel]);
    this.timeFreq = this.timeInput === 'sinusoidal' ? tf.tensor2d(sinusoidFrequencies(this.config.dModel), [1, this.config.dModel / 2]) : null;
  }

  /** Logits [B, L, V] for x_t int32 [B, L] and t [B, 1]. The caller owns the result. */
  forward(xt: tf.Tensor2D, t: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
    this.assertLive();
    const { vocabSize: V, dModel: d, nLayers, maxLen } = this.config;
    const [B, L] = xt.shape;
    if (L > maxLen) throw new RangeError(`sequence length ${L} exceeds the model's maxLen ${maxLen}`);
    if (t.shape[0] !== B || t.shape[1] !== 1) throw new RangeError(`t must be [${B}, 1], got [${t.shape}]`);
    const dropout = opts.training ? (opts.dropout ?? this.config.dropout) : 0;
    if (dropout > 0 && !opts.rng) throw new Error('train mode with dropout needs an rng');
    // Inverted dropout, a fresh mask from our Rng at each use (PyTorch's convention: kept values
    // scaled by 1/(1-p)): cheaper than tfjs' randomUniform on wasm, and the same on every backend.
    const mask = (x: tf.Tensor) => keepMaskTensor(x.shape, dropout, opts.rng!);
    const drop = (x: tf.Tensor2D) => (dropout > 0 ? dropped(x, mask(x)) : x);
    const addDrop = (h: tf.Tensor2D, x: tf.Tensor2D) => (dropout > 0 ? addDropped(h, x, mask(x)) : tf.add(h, x)) as tf.Tensor2D; // h + Dropout(x)
    const norm = (x: tf.Tensor2D, name: string) => layerNorm(x, this.vector(`${name}.weight`), this.vector(`${name}.bias`), this.config.layerNormEps);

    return tf.tidy(() => {
      const N = B * L;
      const oneHot = tf.cast(tf.oneHot(tf.reshape(xt, [N]), V), 'float32') as tf.Tensor2D; // [N, V]
      const tok = embed(oneHot, this.matrix('token_embed.weight')); // [N, d]
      const pos = tf.slice(this.pe, [0, 0], [L, d]); // [L, d]
      let h0 = tf.add(tf.reshape(tok, [B, L, d]), pos); // [B, L, d]
      const tEmb = this.timeEmbedding(opts.ignoreTime ? tf.zerosLike(t) : tf.cast(t, 'float32')); // [B, d] or null
      if (tEmb) h0 = tf.add(h0, tf.expandDims(tEmb, 1));
      let h = tf.reshape(h0, [N, d]) as tf.Tensor2D;
      for (let i = 0; i < nLayers; i++) {
        const pre = `transformer.layers.${i}`;
        const att = this.selfAttention(norm(h, `${pre}.norm1`), B, L, pre, dropout, opts);
        h = addDrop(h, att);
        const hidden = drop(this.linear(norm(h, `${pre}.norm2`), `${pre}.linear1`, 'relu')); // [N, dFF]
        h = addDrop(h, this.linear(hidden, `${pre}.linear2`));
      }
      const logits = this.linear(h, 'output_head'); // [N, V]
      return tf.reshape(logits, [B, L, V]) as tf.Tensor3D;
    });
  }

  /** The time term added to every position [B, d] for t [B, 1], or null when the model has none. The caller owns it. */
  timeEmbedding(t: tf.Tensor2D): tf.Tensor2D | null {
    if (this.timeInput === 'none') return null;
    return tf.tidy(() => {
      if (this.timeInput === 'learned') return this.linear(silu(this.linear(t, 'time_mlp.0')), 'time_mlp.2');
      const angles = tf.mul(tf.mul(t, TIME_POSITIONS), this.timeFreq!); // [B, d/2]
      // Interleaved sin, cos, as the position table lays them out.
      return tf.reshape(tf.stack([tf.sin(angles), tf.cos(angles)], 2), [t.shape[0], this.config.dModel]) as tf.Tensor2D;
    });
  }

  /** Multi-head self-attention of a [N, d] with PyTorch's packed in_proj (q, k, v; 16 dims a head). */
  private selfAttention(a: tf.Tensor2D, B: number, L: number, pre: string, dropout: number, opts: ForwardOptions): tf.Tensor2D {
    const H = this.config.nHeads;
    const qkv = dense(a, this.matrix(`${pre}.self_attn.in_proj_weight`), this.vector(`${pre}.self_attn.in_proj_bias`)); // [N, 3d]
    const keep = dropout > 0 ? (keepMaskTensor([H * B, L, L], dropout, opts.rng!) as tf.Tensor3D) : null; // for the weights [H*B, L, L]
    const merged = attend(qkv, B, H, { keep, causal: opts.causal, weights: opts.attention }); // softmax(q k^T / sqrt(dh)) v, heads merged: [N, d]
    return this.linear(merged, `${pre}.self_attn.out_proj`);
  }

  /** PyTorch's nn.Linear `name`: x W + b with the weight held as [in, out], then the activation. */
  private linear(x: tf.Tensor2D, name: string, activation: Activation = 'linear'): tf.Tensor2D {
    return dense(x, this.matrix(`${name}.weight`), this.vector(`${name}.bias`), activation);
  }

  private matrix(name: string): tf.Tensor2D {
    return this.params.get(name)! as tf.Tensor as tf.Tensor2D;
  }

  private vector(name: string): tf.Tensor1D {
    return this.params.get(name)! as tf.Tensor as tf.Tensor1D;
  }

  /** Eval-mode probabilities [B, L, V] as numbers (softmax over the vocabulary). */
  async predictProbs(xt: tf.Tensor2D, t: tf.Tensor2D, opts: Omit<ForwardOptions, 'training' | 'rng'> = {}): Promise<Float32Array> {
    const probs = tf.tidy(() => tf.softmax(this.forward(xt, t, opts)));
    try {
      return (await probs.data()) as Float32Array;
    } finally {
      probs.dispose();
    }
  }

  /** Weights in PyTorch layout ([out, in] Linear weights), by state_dict name. */
  async stateDict(): Promise<Map<string, Float32Array>> {
    this.assertLive();
    const out = new Map<string, Float32Array>();
    for (const [name, v] of this.params) {
      const shape = paramShape(this.config, name);
      const data = (await v.data()) as Float32Array;
      out.set(name, isLinearWeight(name, shape) ? transpose2d(data, shape[1], shape[0]) : Float32Array.from(data));
    }
    return out;
  }

  /**
   * Replace every weight from PyTorch-layout arrays. Checks everything first,
   * so a bad map leaves the model untouched.
   */
  loadStateDict(state: ReadonlyMap<string, Float32Array>): void {
    this.assertLive();
    const specs = paramSpecs(this.config);
    for (const { name, shape } of specs) {
      const data = state.get(name);
      if (!data) throw new Error(`missing weight ${name}`);
      if (data.length !== sizeOf(shape)) throw new Error(`weight ${name} has ${data.length} values, expected ${sizeOf(shape)}`);
    }
    tf.tidy(() => {
      for (const { name, shape } of specs) {
        const data = state.get(name)!;
        const internal = isLinearWeight(name, shape) ? transpose2d(data, shape[0], shape[1]) : data;
        this.params.get(name)!.assign(tf.tensor(internal, internalShape(name, shape)));
      }
    });
  }

  /**
   * The variables the forward pass uses, in state_dict order: what the
   * optimizer updates. Without the learned time input the time MLP sits out,
   * neither stepped nor decayed, as PyTorch's AdamW skips a parameter whose
   * gradient is None.
   */
  variables(): tf.Variable[] {
    const all = [...this.params.entries()];
    const used = this.timeInput === 'learned' ? all : all.filter(([name]) => !name.startsWith('time_mlp.'));
    return used.map(([, v]) => v);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.params.values()) v.dispose();
    this.pe.dispose();
    this.timeFreq?.dispose();
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('this DiffusionLM has been disposed');
  }
}

function paramShape(c: ModelConfig, name: string): readonly number[] {
  return paramSpecs(c).find((s) => s.name === name)!.shape;
}

function internalShape(name: string, shape: readonly number[]): number[] {
  return isLinearWeight(name, shape) ? [shape[1], shape[0]] : [...shape];
}

/** Transpose a row-major [rows, cols] array. */
function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** The position table's frequencies exp(-2j ln(10000) / d), j < d/2, in the same float32 steps (params.ts). */
function sinusoidFrequencies(dModel: number): Float32Array {
  const freq = new Float32Array(dModel / 2);
  for (let j = 0; j < dModel / 2; j++) freq[j] = Math.exp(Math.fround(2 * j * Math.fround(-Math.log(10000) / dModel)));
  return freq;
}

function silu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.sigmoid(x));
}

/** PyTorch's default initialisation, drawn from our Rng, in each variable's internal layout ([in, out] for linear weights: the draws are i.i.d., so the law is PyTorch's). */
function initialValues(c: ModelConfig, rng: Rng, init: InitOptions): Map<string, Float32Array> {
  const normal = (n: number, std: number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      // Box-Muller: two normals from two uniforms.
      const u = 1 - rng.next(),
        v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      out[i] = std * r * Math.cos(2 * Math.PI * v);
      if (i + 1 < n) out[i + 1] = std * r * Math.sin(2 * Math.PI * v);
    }
    return out;
  };
  const uniform = (n: number, bound: number) => Float32Array.from({ length: n }, () => rng.uniform(-bound, bound));
  const fill = (n: number, v: number) => new Float32Array(n).fill(v);
  const d = c.dModel;
  const values = new Map<string, Float32Array>();
  const linear = (name: string, out: number, inp: number, bias = true) => {
    // kaiming_uniform(a=sqrt(5)) and the bias rule both reduce to U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
    values.set(`${name}.weight`, uniform(out * inp, 1 / Math.sqrt(inp)));
    if (bias) values.set(`${name}.bias`, uniform(out, 1 / Math.sqrt(inp)));
  };
  values.set('token_embed.weight', normal(c.vocabSize * d, init.embedStd ?? 1));
  linear('time_mlp.0', d, 1);
  linear('time_mlp.2', d, d);
  const layer = (pre: string) => {
    const inProj = uniform(3 * d * d, Math.sqrt(6 / (d + 3 * d))); // xavier_uniform
    const qk = init.qkInitScale ?? 1;
    if (!(qk > 0 && Number.isFinite(qk))) throw new RangeError(`qkInitScale must be a positive number, got ${qk}`);
    // These values fill the variable's internal [in, out] = [d, 3d] layout (internalShape),
    // where q and k are the first 2d outputs of every input row.
    if (qk !== 1) for (let i = 0; i < d; i++) for (let o = 0; o < 2 * d; o++) inProj[i * 3 * d + o] *= qk;
    values.set(`${pre}.self_attn.in_proj_weight`, inProj);
    values.set(`${pre}.self_attn.in_proj_bias`, fill(3 * d, 0));
    linear(`${pre}.self_attn.out_proj`, d, d, false);
    values.set(`${pre}.self_attn.out_proj.bias`, fill(d, 0));
    linear(`${pre}.linear1`, c.dFF, d);
    linear(`${pre}.linear2`, d, c.dFF);
    for (const n of ['norm1', 'norm2']) {
      values.set(`${pre}.${n}.weight`, fill(d, 1));
      values.set(`${pre}.${n}.bias`, fill(d, 0));
    }
  };
  for (let i = 0; i < c.nLayers; i++) {
    if (i > 0 && (init.cloneLayers ?? true)) {
      for (const { name } of paramSpecs(c)) {
        if (name.startsWith('transformer.layers.0.')) {
          values.set(name.replace('layers.0.', `layers.${i}.`), values.get(name)!.slice());
        }
      }
    } else {
      layer(`transformer.layers.${i}`);
    }
  }
  linear('output_head', c.vocabSize, d);
  // Map insertion order is irrelevant: callers read by name in paramSpecs order.
  return values;
}
