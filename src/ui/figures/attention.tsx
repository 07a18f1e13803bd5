/** Attention maps as a heatmap wants them, and the small controls that browse them (layer, head). */

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
