/** Attention weights read out of the model, and the small controls that browse them (layer, head). */
import * as tf from '@tensorflow/tfjs-core';
import type { DiffusionLM } from '../../core/model.ts';

/**
 * Each layer's attention for one sequence // [layer][head] -> L×L row-major
 * (row = query, column = key), with or without a causal mask.
 */
export async function attentionMaps(model: DiffusionLM, xt: ArrayLike<number>, t: number, causal: boolean): Promise<Float32Array[][]> {
  const L = xt.length;
  const H = model.config.nHeads;
  const kept: tf.Tensor3D[] = [];
  try {
    tf.tidy(() => {
      model.forward(tf.tensor2d(Array.from(xt), [1, L], 'int32'), tf.tensor2d([t], [1, 1]), { causal, attention: kept });
    });
    const layers = await Promise.all(kept.map((a) => a.data() as Promise<Float32Array>)); // each [H*1, L, L]
    return layers.map((w) => Array.from({ length: H }, (_, h) => w.slice(h * L * L, (h + 1) * L * L)));
  } finally {
    tf.dispose(kept);
  }
}

/** An L×L map as rows, for a heatmap. */
export function asRows(w: Float32Array, L: number): number[][] {
  return Array.from({ length: L }, (_, q) => Array.from(w.subarray(q * L, (q + 1) * L)));
}

/** A labelled choice of 1..count, with 0-based values. */
export function NumberSelect({ label, count, value, onChange }: { label: string; count: number; value: number; onChange: (v: number) => void }) {
  return (
    <label className="inline">
      {label}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {Array.from({ length: count }, (_, i) => (
          <option key={i} value={i}>
            {i + 1}
          </option>
        ))}
      </select>
    </label>
  );
}
