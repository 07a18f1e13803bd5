/**
 * Weights files: safetensors, the format PyTorch users share checkpoints in, so the
 * lesson can load the reference model and learners can take theirs back to Python.
 *
 * Layout: u64 little-endian header length N, N bytes of UTF-8 JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {string: string}}`,
 * then the data buffer that the offsets point into.
 *
 * A weights file comes from a learner's disk, so every field is checked and every
 * failure is a `WeightsError` that says what is wrong and with which tensor.
 * Plain TypeScript only (no tfjs, DOM or Node APIs): it runs in the browser and the CLI.
 */
import type { ModelConfig } from './config.ts';
import { paramSpecs, POS_ENC_NAME, sinusoidalTable, sizeOf, type ParamSpec } from './params.ts';

/** Thrown for any unreadable or mismatched weights file; the message names the problem. */
export class WeightsError extends Error {
  override name = 'WeightsError';
}

/** One tensor as stored: `data` is a view into the decoded file's bytes, not a copy. */
export interface RawTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly data: Uint8Array;
}

export interface Safetensors {
  readonly tensors: Map<string, RawTensor>;
  readonly metadata: Record<string, string>;
}

export interface F32Tensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

const METADATA_KEY = '__metadata__';
/** The reference implementation's limit: anything longer is not a real header. */
const MAX_HEADER_BYTES = 100_000_000;
/** The file's `pos_enc.pe` must be our table up to float32 sin/cos rounding (~2e-6 seen). */
const POS_ENC_TOLERANCE = 1e-5;

/** Bytes per element of the safetensors dtypes; an unknown dtype's size is not checked. */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

// ---------------------------------------------------------------- decoding

export function decodeSafetensors(bytes: Uint8Array): Safetensors {
  const headerLength = readHeaderLength(bytes);
  const header = parseHeaderJson(bytes.subarray(8, 8 + headerLength));
  const buffer = bytes.subarray(8 + headerLength); // [bufferLength]
  const metadata = parseMetadata(header[METADATA_KEY]);
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, value]) => parseEntry(name, value, buffer.length));
  checkLayout(entries, buffer.length);
  const tensors = new Map<string, RawTensor>();
  for (const e of entries) {
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: buffer.subarray(e.begin, e.end) });
  }
  return { tensors, metadata };
}

function readHeaderLength(bytes: Uint8Array): number {
  if (bytes.length < 8) {
    throw new WeightsError(`weights file is truncated: it has ${bytes.length} bytes, too few for the 8-byte header length`);
  }
  // A u64 does not fit a JS number: read it as two u32 halves and refuse a high half.
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const low = view.getUint32(0, true),
    high = view.getUint32(4, true);
  if (high !== 0 || low > MAX_HEADER_BYTES) {
    const n = BigInt(high) * 2n ** 32n + BigInt(low);
    throw new WeightsError(`weights file header length ${n} is absurd (limit ${MAX_HEADER_BYTES} bytes): this is not a safetensors file`);
  }
  if (8 + low > bytes.length) {
    throw new WeightsError(`weights file is truncated: the header says it is ${low} bytes but the file has ${bytes.length} bytes`);
  }
  return low;
}

function parseHeaderJson(headerBytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw new WeightsError('weights file header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new WeightsError(`weights file header is not JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(header)) {
    throw new WeightsError(`weights file header must be a JSON object, got ${kindOf(header)}`);
  }
  return header;
}

function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new WeightsError(`weights file ${METADATA_KEY} must be an object of strings, got ${kindOf(value)}`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new WeightsError(`weights file ${METADATA_KEY} entry "${key}" must be a string, got ${kindOf(v)}`);
    }
  }
  // fromEntries defines own properties, so a "__proto__" key stays plain data.
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

interface Entry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function parseEntry(name: string, value: unknown, bufferLength: number): Entry {
  const where = `weights file tensor "${name}"`;
  if (!isPlainObject(value)) throw new WeightsError(`${where} must be an object, got ${kindOf(value)}`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') throw new WeightsError(`${where} has no string dtype (got ${kindOf(dtype)})`);
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new WeightsError(`${where} shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    throw new WeightsError(`${where} data_offsets must be two integers 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > bufferLength) {
    throw new WeightsError(
      `weights file is truncated or corrupt: tensor "${name}" needs data bytes [${begin}, ${end}) but the data has ${bufferLength} bytes`,
    );
  }
  const elementBytes = DTYPE_BYTES[dtype];
  if (elementBytes !== undefined && end - begin !== sizeOf(shape) * elementBytes) {
    throw new WeightsError(
      `${where} (${dtype} [${shape.join(', ')}]) needs ${sizeOf(shape) * elementBytes} bytes but its data_offsets span ${end - begin}`,
    );
  }
  return { name, dtype, shape: [...shape], begin, end };
}

/** Tensors must tile the buffer exactly: no overlap (aliasing), no gap, nothing after. */
function checkLayout(entries: readonly Entry[], bufferLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous = '';
  for (const e of sorted) {
    if (e.begin < covered) {
      throw new WeightsError(
        `weights file tensors "${previous}" and "${e.name}" overlap: one ends at byte ${covered}, the other begins at ${e.begin}`,
      );
    }
    if (e.begin > covered) {
      throw new WeightsError(`weights file data bytes [${covered}, ${e.begin}) belong to no tensor (before "${e.name}")`);
    }
    covered = e.end;
    previous = e.name;
  }
  if (covered !== bufferLength) {
    throw new WeightsError(`weights file has ${bufferLength - covered} bytes of data after its last tensor`);
  }
}

// ---------------------------------------------------------------- encoding

/** F32 tensors in the given order, header space-padded so the data starts 8-byte aligned. */
export function encodeSafetensors(tensors: readonly F32Tensor[], metadata?: Record<string, string>): Uint8Array {
  checkEncodable(tensors);
  // Built by hand rather than JSON.stringify(object): an object would move
  // integer-like names ("0", "1") to the front and break the promised order.
  const fields: string[] = [];
  if (metadata !== undefined) fields.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`);
  let offset = 0;
  for (const t of tensors) {
    const info = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * t.data.length] };
    fields.push(`${JSON.stringify(t.name)}:${JSON.stringify(info)}`);
    offset += 4 * t.data.length;
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;

  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // the high half of the u64 stays 0
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of tensors) {
    for (const v of t.data) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return out;
}

function checkEncodable(tensors: readonly F32Tensor[]): void {
  const seen = new Set<string>();
  for (const t of tensors) {
    if (t.name === METADATA_KEY) throw new WeightsError(`"${METADATA_KEY}" is reserved and cannot name a tensor`);
    if (seen.has(t.name)) throw new WeightsError(`tensor "${t.name}" is given twice`);
    seen.add(t.name);
    if (!t.shape.every(isCount) || sizeOf(t.shape) !== t.data.length) {
      throw new WeightsError(`tensor "${t.name}" has ${t.data.length} values, which does not fit shape [${t.shape.join(', ')}]`);
    }
  }
}

// ---------------------------------------------------------------- the model's weights

/**
 * The model's parameters from a weights file, one aligned Float32Array copy per
 * `paramSpecs` name, in that order. Pure: throws before returning anything, so a
 * bad file never reaches the model.
 */
export function readWeights(bytes: Uint8Array, config: ModelConfig): Map<string, Float32Array> {
  const { tensors } = decodeSafetensors(bytes);
  const specs = paramSpecs(config);
  checkNames(tensors, specs);
  const params = new Map<string, Float32Array>();
  for (const spec of specs) params.set(spec.name, readParam(spec, tensors.get(spec.name)!));
  // After the parameters, so a file for another model size is reported by its
  // token_embed shape rather than by the table that merely follows from it.
  const pe = tensors.get(POS_ENC_NAME);
  if (pe !== undefined) checkPosEnc(pe, config);
  return params;
}

function checkNames(tensors: ReadonlyMap<string, RawTensor>, specs: readonly ParamSpec[]): void {
  const expected = new Set(specs.map((s) => s.name));
  const missing = specs.map((s) => s.name).filter((name) => !tensors.has(name));
  const unknown = [...tensors.keys()].filter((name) => !expected.has(name) && name !== POS_ENC_NAME);
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`it is missing ${missing.length} parameter(s): ${listNames(missing)}`);
  if (unknown.length > 0) problems.push(`it has ${unknown.length} tensor(s) this model does not: ${listNames(unknown)}`);
  if (problems.length > 0) {
    throw new WeightsError(`weights file does not match this model: ${problems.join('; ')}`);
  }
}

function readParam(spec: ParamSpec, t: RawTensor): Float32Array {
  checkF32(spec.name, t, spec.shape);
  const values = readF32(t.data);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new WeightsError(`weights file tensor "${spec.name}" has a non-finite value (${values[bad]}) at index ${bad}`);
  }
  return values;
}

/** PyTorch stores its sinusoid buffer too; a file whose table differs was trained with other positions. */
function checkPosEnc(t: RawTensor, c: ModelConfig): void {
  const rows = t.shape.length === 3 && t.shape[0] === 1 && t.shape[1] >= 1 ? t.shape[1] : c.maxLen;
  checkF32(POS_ENC_NAME, t, [1, rows, c.dModel]);
  const found = readF32(t.data); // [rows * dModel]
  const table = sinusoidalTable(rows, c.dModel);
  const bad = found.findIndex((v, i) => !(Math.abs(v - table[i]) <= POS_ENC_TOLERANCE));
  if (bad >= 0) {
    const [pos, dim] = [Math.floor(bad / c.dModel), bad % c.dModel];
    throw new WeightsError(
      `weights file "${POS_ENC_NAME}" is not the sinusoidal table (at position ${pos}, dim ${dim}: ${found[bad]} vs ${table[bad]}): the file is for a different positional encoding`,
    );
  }
}

function checkF32(name: string, t: RawTensor, shape: readonly number[]): void {
  if (t.dtype !== 'F32') {
    throw new WeightsError(`weights file tensor "${name}" has dtype ${t.dtype}, but this model reads F32 only`);
  }
  if (t.shape.length !== shape.length || t.shape.some((n, i) => n !== shape[i])) {
    throw new WeightsError(`weights file tensor "${name}" has shape [${t.shape.join(', ')}], but this model expects [${shape.join(', ')}]`);
  }
}

/** Little-endian float32s into a fresh array; DataView copes with any byte alignment. */
function readF32(data: Uint8Array): Float32Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Float32Array(data.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/**
 * A safetensors file PyTorch's `load_state_dict` takes as is: parameters in
 * `paramSpecs` order with the `pos_enc.pe` buffer second, where the state_dict has it.
 */
export function writeWeights(params: ReadonlyMap<string, Float32Array>, config: ModelConfig, metadata: Record<string, string> = {}): Uint8Array {
  const specs = paramSpecs(config);
  checkParamMap(params, specs);
  const tensors: F32Tensor[] = specs.map((s) => ({ name: s.name, shape: s.shape, data: params.get(s.name)! }));
  const pe = { name: POS_ENC_NAME, shape: [1, config.maxLen, config.dModel], data: sinusoidalTable(config.maxLen, config.dModel) };
  tensors.splice(1, 0, pe);
  return encodeSafetensors(tensors, { format: 'pt', ...metadata });
}

function checkParamMap(params: ReadonlyMap<string, Float32Array>, specs: readonly ParamSpec[]): void {
  const expected = new Set(specs.map((s) => s.name));
  const missing = specs.map((s) => s.name).filter((name) => !params.has(name));
  const unknown = [...params.keys()].filter((name) => !expected.has(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new WeightsError(`cannot write weights: missing [${listNames(missing)}], unknown [${listNames(unknown)}]`);
  }
  for (const s of specs) {
    const values = params.get(s.name)!;
    if (values.length !== sizeOf(s.shape)) {
      throw new WeightsError(`cannot write weights: "${s.name}" has ${values.length} values, shape [${s.shape.join(', ')}] needs ${sizeOf(s.shape)}`);
    }
    // readWeights refuses such a file, so refuse to write one rather than save a dead end.
    if (!values.every(Number.isFinite)) {
      throw new WeightsError(`cannot write weights: "${s.name}" has a non-finite value (training diverged?)`);
    }
  }
}

// ---------------------------------------------------------------- helpers

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `"${v.slice(0, 40)}"` : typeof v === 'object' ? 'an object' : String(v);
}

/** Enough names to recognise the mismatch (a whole extra layer is 12) without a wall of text. */
function listNames(names: readonly string[]): string {
  const shown = 12;
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}
