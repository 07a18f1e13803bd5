import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, modelConfig } from '../../src/core/config.ts';
import { countParams, paramSpecs, POS_ENC_NAME, sinusoidalTable, sizeOf } from '../../src/core/params.ts';
import { decodeSafetensors, encodeSafetensors, readWeights, WeightsError, writeWeights, type F32Tensor } from '../../src/core/weights.ts';

const config = DEFAULT_MODEL;
const specs = paramSpecs(config);

function fixture(name: string): Uint8Array {
  // A plain copy: Node's Buffer may sit at an odd offset of a shared pool.
  return new Uint8Array(readFileSync(new URL(`../fixtures/${name}.safetensors`, import.meta.url)));
}
const FIXTURES = ['weights', 'train_before', 'train_after'] as const;
const weightsFile = fixture('weights');

// ---------------------------------------------------------------- an independent reader and writer
// Deliberately naive and separate from the module under test: DataView, JSON.parse, nothing else.

interface PlainEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}
interface PlainFile {
  headerLength: number;
  headerText: string;
  header: Record<string, PlainEntry> & { __metadata__?: Record<string, string> };
  dataStart: number;
  view: DataView;
}

function plainParse(bytes: Uint8Array): PlainFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
  return { headerLength, headerText, header: JSON.parse(headerText), dataStart: 8 + headerLength, view };
}

function plainFloats(f: PlainFile, name: string): Float32Array {
  const [begin, end] = f.header[name].data_offsets;
  return Float32Array.from({ length: (end - begin) / 4 }, (_, i) => f.view.getFloat32(f.dataStart + begin + 4 * i, true));
}

function plainBytes(f: PlainFile, name: string): Uint8Array {
  const [begin, end] = f.header[name].data_offsets;
  return new Uint8Array(f.view.buffer, f.view.byteOffset + f.dataStart + begin, end - begin);
}

/** A file with any header text and data, the way a hand-rolled or broken writer might make it. */
function rawFile(headerText: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const header = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + header.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  out.set(data, 8 + header.length);
  return out;
}

/** The weights fixture with its header edited and its data buffer kept. */
function editedFixture(edit: (header: PlainFile['header']) => void): Uint8Array {
  const f = plainParse(weightsFile);
  edit(f.header);
  return rawFile(JSON.stringify(f.header), weightsFile.subarray(f.dataStart));
}

function withHeaderLength(bytes: Uint8Array, n: bigint): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setBigUint64(0, n, true);
  return out;
}

/** The thrown WeightsError; anything else thrown (or nothing) fails the test. */
function weightsError(f: () => unknown): WeightsError {
  try {
    f();
  } catch (e) {
    if (e instanceof WeightsError) return e;
    throw e;
  }
  throw new Error('expected a WeightsError, but nothing was thrown');
}

/** For fuzzing: success and WeightsError are the only allowed outcomes. */
function outcome(f: () => unknown): 'ok' | 'rejected' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof WeightsError) return 'rejected';
    throw e;
  }
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.slice().buffer);
}

/** Index of the first difference, or -1: toEqual on 100k-element typed arrays takes seconds. */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const fixtureParams = readWeights(weightsFile, config);
const asTensors = (params: Map<string, Float32Array>): F32Tensor[] => specs.map((s) => ({ name: s.name, shape: s.shape, data: params.get(s.name)! }));
const peTensor = (data = sinusoidalTable(config.maxLen, config.dModel), shape = [1, config.maxLen, config.dModel]) => ({
  name: POS_ENC_NAME,
  shape,
  data,
});

// ---------------------------------------------------------------- the PyTorch fixtures

describe('reading the PyTorch fixtures', () => {
  it.each(FIXTURES)('%s decodes: 44 F32 tensors tiling the data, with PyTorch metadata', (name) => {
    const bytes = fixture(name);
    const { tensors, metadata } = decodeSafetensors(bytes);
    const plain = plainParse(bytes);
    expect(tensors.size).toBe(44);
    expect([...tensors.keys()].sort()).toEqual(
      Object.keys(plain.header)
        .filter((k) => k !== '__metadata__')
        .sort(),
    );
    expect(metadata.format).toBe('pt');
    let bytesCovered = 0;
    for (const [n, t] of tensors) {
      expect(t.dtype).toBe('F32');
      expect(t.shape).toEqual(plain.header[n].shape);
      expect(firstDiff(t.data, plainBytes(plain, n))).toBe(-1);
      bytesCovered += t.data.length;
    }
    expect(8 + plain.headerLength + bytesCovered).toBe(bytes.length);
  });

  it('keeps the writer metadata of weights.safetensors', () => {
    expect(decodeSafetensors(weightsFile).metadata).toEqual({ format: 'pt', arch: 'seed DiffusionLM vocab16 d64 h4 L3' });
  });

  it.each(FIXTURES)('%s gives the 43 parameters in paramSpecs order, equal to an independent parse', (name) => {
    const bytes = fixture(name);
    const params = readWeights(bytes, config);
    expect([...params.keys()]).toEqual(specs.map((s) => s.name));
    expect(params.size).toBe(43);
    let total = 0;
    const plain = plainParse(bytes);
    for (const s of specs) {
      const values = params.get(s.name)!;
      expect(values.length).toBe(sizeOf(s.shape));
      expect(values.byteOffset).toBe(0); // an aligned copy, not a view into the file
      expect(firstDiff(bits(values), bits(plainFloats(plain, s.name)))).toBe(-1);
      total += values.length;
    }
    expect(total).toBe(countParams(config));
    expect(total).toBe(156_304);
  });

  // Spot values printed by python3: struct.unpack('<f', ...) at the offsets from the JSON header.
  const spots: [string, number, number, number][] = [
    // name, flat index, weights.safetensors and train_before, train_after
    ['token_embed.weight', 0, -1.1258398294448853, -1.1252857446670532],
    ['token_embed.weight', 1023, -1.7104684114456177, -1.709572434425354],
    ['time_mlp.0.bias', 5, 0.6210397481918335, 0.620133638381958],
    ['transformer.layers.1.self_attn.in_proj_weight', 100, -0.025836678221821785, -0.025676721706986427],
    ['transformer.layers.2.linear2.bias', 63, -0.008455857634544373, -0.007851578295230865],
    ['output_head.bias', 15, 0.01419810950756073, 0.013329549692571163],
  ];
  it.each(spots)('%s[%i] matches Python struct decoding', (name, i, initial, trained) => {
    expect(readWeights(fixture('weights'), config).get(name)![i]).toBe(initial);
    expect(readWeights(fixture('train_before'), config).get(name)![i]).toBe(initial);
    expect(readWeights(fixture('train_after'), config).get(name)![i]).toBe(trained);
  });

  it("the fixture's pos_enc.pe is our sinusoidal table", () => {
    const pe = plainFloats(plainParse(weightsFile), POS_ENC_NAME); // [1, 512, 64]
    const table = sinusoidalTable(512, 64);
    expect(pe.length).toBe(table.length);
    expect(pe[64]).toBe(0.8414709568023682); // pos 1, dim 0: float32 sin(1), from python3's struct
    const maxDiff = pe.reduce((m, v, i) => Math.max(m, Math.abs(v - table[i])), 0);
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('reads a file that starts at an odd byte offset', () => {
    const shifted = new Uint8Array(weightsFile.length + 1);
    shifted.set(weightsFile, 1);
    const params = readWeights(shifted.subarray(1), config);
    for (const s of specs) expect(firstDiff(bits(params.get(s.name)!), bits(fixtureParams.get(s.name)!))).toBe(-1);
  });

  it('is pure: the result does not alias the file, and a rejected file is left untouched', () => {
    const bytes = weightsFile.slice();
    readWeights(bytes, config).get('token_embed.weight')!.fill(7);
    expect(firstDiff(bytes, weightsFile)).toBe(-1);
    const bad = bytes.subarray(0, bytes.length - 1);
    weightsError(() => readWeights(bad, config));
    expect(firstDiff(bytes, weightsFile)).toBe(-1);
  });
});

// ---------------------------------------------------------------- writing

describe('writing', () => {
  it('write → read is bit-exact, including -0, subnormals and extremes', () => {
    const params = new Map([...fixtureParams].map(([n, v]) => [n, v.slice()]));
    params.get('output_head.bias')!.set([-0, 1e-45, -1.1754942e-38, 3.4028234663852886e38, -3.4028234663852886e38]);
    const back = readWeights(writeWeights(params, config), config);
    for (const s of specs) expect(firstDiff(bits(back.get(s.name)!), bits(params.get(s.name)!))).toBe(-1);
  });

  it("lays the file out like PyTorch's: same names, order, shapes, offsets and parameter bytes", () => {
    const ours = plainParse(writeWeights(fixtureParams, config));
    const torch = plainParse(weightsFile);
    expect(ours.headerLength % 8).toBe(0);
    expect(ours.headerText).toMatch(/^\{.*\} *$/);
    expect(ours.header.__metadata__).toEqual({ format: 'pt' });
    expect(Object.keys(ours.header)).toEqual(Object.keys(torch.header));
    for (const name of Object.keys(torch.header).filter((k) => k !== '__metadata__')) {
      expect(ours.header[name]).toEqual(torch.header[name]);
      if (name !== POS_ENC_NAME) expect(firstDiff(plainBytes(ours, name), plainBytes(torch, name))).toBe(-1);
    }
    const torchPe = plainFloats(torch, POS_ENC_NAME);
    const peDiff = plainFloats(ours, POS_ENC_NAME).reduce((m, v, i) => Math.max(m, Math.abs(v - torchPe[i])), 0);
    expect(peDiff).toBeLessThan(1e-5);
  });

  it('adds caller metadata after format: pt', () => {
    const bytes = writeWeights(fixtureParams, config, { steps: '3000', recipe: 'notebook' });
    expect(decodeSafetensors(bytes).metadata).toEqual({ format: 'pt', steps: '3000', recipe: 'notebook' });
  });

  // The expected files are the byte vectors of the safetensors crate's own serialization
  // tests (tensor.rs: test_serialization, test_serialization_forced_alignement, test_empty).
  it('writes the same bytes as the reference implementation', () => {
    const f32 = (...xs: number[]) => new Uint8Array(new Float32Array(xs).buffer); // little-endian host
    const concat = (a: Uint8Array, b: Uint8Array) => {
      const o = new Uint8Array(a.length + b.length);
      o.set(a);
      o.set(b, a.length);
      return o;
    };
    const six = new Float32Array([0, 1, 2, 3, 4, 5]);
    expect(encodeSafetensors([{ name: 'attn.0', shape: [1, 2, 3], data: six }])).toEqual(
      concat(rawFile('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}'), f32(0, 1, 2, 3, 4, 5)),
    );
    expect(encodeSafetensors([{ name: 'attn0', shape: [1, 1, 2, 3], data: six }])).toEqual(
      concat(rawFile('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       '), f32(0, 1, 2, 3, 4, 5)),
    );
    expect(encodeSafetensors([])).toEqual(rawFile('{}      '));
    expect(encodeSafetensors([], { framework: 'pt' })).toEqual(rawFile('{"__metadata__":{"framework":"pt"}}     '));
  });

  it('keeps the given order even for integer-like names', () => {
    const t = (name: string, x: number) => ({ name, shape: [1], data: new Float32Array([x]) });
    const bytes = encodeSafetensors([t('b', 1), t('10', 2), t('2', 3)]);
    expect(Object.keys(plainParse(bytes).header)).toEqual(['2', '10', 'b']); // JSON.parse reorders; offsets do not
    expect(plainParse(bytes).header['10'].data_offsets).toEqual([4, 8]);
    const back = decodeSafetensors(bytes).tensors;
    expect([...back.keys()].sort()).toEqual(['10', '2', 'b']);
    expect(plainFloats(plainParse(bytes), '2')[0]).toBe(3);
  });

  it.each([
    [
      'a duplicate name',
      [
        { name: 'a', shape: [1], data: new Float32Array(1) },
        { name: 'a', shape: [1], data: new Float32Array(1) },
      ],
      /"a" is given twice/,
    ],
    ['a length that does not fit the shape', [{ name: 'a', shape: [2, 2], data: new Float32Array(3) }], /"a" has 3 values.*\[2, 2\]/],
    ['a negative dimension', [{ name: 'a', shape: [-1], data: new Float32Array(1) }], /"a".*\[-1\]/],
    ['the reserved name', [{ name: '__metadata__', shape: [1], data: new Float32Array(1) }], /reserved/],
  ])('encodeSafetensors rejects %s', (_, tensors, message) => {
    expect(weightsError(() => encodeSafetensors(tensors)).message).toMatch(message);
  });

  it('writeWeights rejects a wrong parameter map, naming what is wrong', () => {
    const without = new Map(fixtureParams);
    without.delete('time_mlp.0.bias');
    expect(weightsError(() => writeWeights(without, config)).message).toMatch(/missing \[time_mlp\.0\.bias\]/);
    const extra = new Map(fixtureParams).set('extra.weight', new Float32Array(1));
    expect(weightsError(() => writeWeights(extra, config)).message).toMatch(/unknown \[extra\.weight\]/);
    const short = new Map(fixtureParams).set('output_head.bias', new Float32Array(15));
    expect(weightsError(() => writeWeights(short, config)).message).toMatch(/"output_head\.bias" has 15 values.*needs 16/);
    const nan = new Map(fixtureParams).set('output_head.bias', new Float32Array(16).fill(NaN));
    expect(weightsError(() => writeWeights(nan, config)).message).toMatch(/"output_head\.bias" has a non-finite value/);
  });
});

// ---------------------------------------------------------------- failure modes

describe('a bad file is a WeightsError that says what is wrong', () => {
  const len = weightsFile.length;
  const { headerLength } = plainParse(weightsFile);

  it('is an Error named WeightsError', () => {
    const e = weightsError(() => decodeSafetensors(new Uint8Array(3)));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('WeightsError');
  });

  it.each([
    ['an empty file', new Uint8Array(0), /truncated: it has 0 bytes/],
    ['a file shorter than the length field', new Uint8Array(5), /truncated: it has 5 bytes/],
    ['a header that is not JSON', rawFile('{"token_embed.weight": '), /header is not JSON/],
    ['an empty header', rawFile(''), /header is not JSON/],
    ['a header that is an array', rawFile('[1, 2]'), /header must be a JSON object, got an array/],
    ['a header that is null', rawFile('null'), /header must be a JSON object, got null/],
    ['a header that is a number', rawFile('42'), /header must be a JSON object, got 42/],
    ['a header that is not UTF-8', rawFile('{}').map((b, i) => (i === 8 ? 0xff : b)), /not valid UTF-8/],
    [
      'a header longer than the file',
      withHeaderLength(weightsFile, BigInt(len - 7)),
      new RegExp(`header says it is ${len - 7} bytes but the file has ${len} bytes`),
    ],
    ['a header length over 100 MB', withHeaderLength(weightsFile, 200_000_000n), /header length 200000000 is absurd/],
    ['a header length with the high word set', withHeaderLength(weightsFile, 2n ** 40n + 5n), /header length 1099511627781 is absurd/],
    ['the largest u64 header length', withHeaderLength(weightsFile, 2n ** 64n - 1n), /header length 18446744073709551615 is absurd/],
    ['__metadata__ that is not an object', rawFile('{"__metadata__": [1]}'), /__metadata__ must be an object of strings, got an array/],
    ['__metadata__ with a non-string value', rawFile('{"__metadata__": {"step": 3}}'), /__metadata__ entry "step" must be a string, got 3/],
    ['an entry that is not an object', rawFile('{"w": 3}'), /tensor "w" must be an object, got 3/],
    ['an entry without a dtype', rawFile('{"w": {"shape": [], "data_offsets": [0, 0]}}'), /tensor "w" has no string dtype/],
    ['a shape that is not an array', rawFile('{"w": {"dtype": "F32", "shape": 4, "data_offsets": [0, 16]}}'), /tensor "w" shape must be an array/],
    ['a negative dimension', rawFile('{"w": {"dtype": "F32", "shape": [-4], "data_offsets": [0, 0]}}'), /tensor "w" shape must be.*\[-4\]/],
    [
      'a fractional dimension',
      rawFile('{"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 6]}}', new Uint8Array(6)),
      /tensor "w" shape must be.*\[1.5\]/,
    ],
    [
      'offsets that are not a pair',
      rawFile('{"w": {"dtype": "F32", "shape": [], "data_offsets": [0]}}'),
      /tensor "w" data_offsets must be two integers.*\[0\]/,
    ],
    [
      'negative offsets',
      rawFile('{"w": {"dtype": "U8", "shape": [4], "data_offsets": [-4, 0]}}', new Uint8Array(4)),
      /tensor "w" data_offsets.*\[-4,0\]/,
    ],
    [
      'offsets that run backwards',
      rawFile('{"w": {"dtype": "U8", "shape": [4], "data_offsets": [8, 4]}}', new Uint8Array(8)),
      /tensor "w" data_offsets.*\[8,4\]/,
    ],
  ])('decodeSafetensors rejects %s', (_, bytes, message) => {
    expect(weightsError(() => decodeSafetensors(bytes)).message).toMatch(message);
  });

  it.each([0, 1, 7, 8, 9, 100, 8 + headerLength - 1, 8 + headerLength, 8 + headerLength + 4, len - 4, len - 1])(
    'rejects the fixture cut to %i bytes as truncated',
    (cut) => {
      expect(weightsError(() => readWeights(weightsFile.subarray(0, cut), config)).message).toMatch(/truncated/);
    },
  );

  it('rejects bytes after the last tensor', () => {
    const longer = new Uint8Array(len + 4);
    longer.set(weightsFile);
    expect(weightsError(() => readWeights(longer, config)).message).toMatch(/4 bytes of data after its last tensor/);
  });

  it.each([
    [
      'overlapping tensors',
      (h: PlainFile['header']) => {
        h['time_mlp.0.weight'].data_offsets = [4000, 4256];
      },
      /tensors "token_embed\.weight" and "time_mlp\.0\.weight" overlap/,
    ],
    [
      'offsets past the end of the data',
      (h: PlainFile['header']) => {
        h['output_head.bias'].data_offsets = [757224, 757288];
      },
      /truncated or corrupt: tensor "output_head\.bias" needs data bytes \[757224, 757288\) but the data has 756288 bytes/,
    ],
    [
      'a gap between tensors',
      (h: PlainFile['header']) => {
        h['time_mlp.0.weight'] = { dtype: 'F32', shape: [32, 1], data_offsets: [135168, 135296] };
      },
      /data bytes \[135296, 135424\) belong to no tensor/,
    ],
    [
      'offsets that disagree with the shape',
      (h: PlainFile['header']) => {
        h['token_embed.weight'].data_offsets = [0, 4092];
      },
      /tensor "token_embed\.weight" \(F32 \[16, 64\]\) needs 4096 bytes but its data_offsets span 4092/,
    ],
  ])('rejects %s', (_, edit, message) => {
    expect(weightsError(() => readWeights(editedFixture(edit), config)).message).toMatch(message);
  });

  it.each([
    ['F16', [16, 128]],
    ['F64', [16, 32]],
    ['BF16', [16, 128]],
  ])('rejects a %s parameter, naming it', (dtype, shape) => {
    const bytes = editedFixture((h) => {
      h['token_embed.weight'] = { ...h['token_embed.weight'], dtype, shape };
    });
    expect(decodeSafetensors(bytes).tensors.get('token_embed.weight')!.dtype).toBe(dtype); // a valid file...
    expect(weightsError(() => readWeights(bytes, config)).message) // ...but not ours
      .toMatch(new RegExp(`"token_embed\\.weight" has dtype ${dtype}, but this model reads F32 only`));
  });

  it('rejects a wrong shape with the same element count', () => {
    const bytes = editedFixture((h) => {
      h['token_embed.weight'].shape = [64, 16];
    });
    expect(weightsError(() => readWeights(bytes, config)).message).toMatch(
      /"token_embed\.weight" has shape \[64, 16\], but this model expects \[16, 64\]/,
    );
  });

  it('rejects a file for another model size', () => {
    expect(weightsError(() => readWeights(weightsFile, modelConfig({ dModel: 32 }))).message).toMatch(
      /"token_embed\.weight" has shape \[16, 64\], but this model expects \[16, 32\]/,
    );
    expect(weightsError(() => readWeights(weightsFile, modelConfig({ nLayers: 2 }))).message).toMatch(
      /12 tensor\(s\) this model does not: transformer\.layers\.2\.self_attn\.in_proj_weight, /,
    );
    expect(weightsError(() => readWeights(weightsFile, modelConfig({ nLayers: 5 }))).message).toMatch(
      /missing 24 parameter\(s\): transformer\.layers\.3\.self_attn\.in_proj_weight, .* and 12 more/,
    );
  });

  it('names missing and unknown parameters', () => {
    const missing = encodeSafetensors(asTensors(fixtureParams).filter((t) => t.name !== 'time_mlp.0.bias'));
    expect(weightsError(() => readWeights(missing, config)).message).toMatch(/missing 1 parameter\(s\): time_mlp\.0\.bias$/);
    const unknown = encodeSafetensors([...asTensors(fixtureParams), { name: 'extra.weight', shape: [1], data: new Float32Array(1) }]);
    expect(weightsError(() => readWeights(unknown, config)).message).toMatch(/1 tensor\(s\) this model does not: extra\.weight$/);
    const renamed = editedFixture((h) => {
      h['output_head.bias2'] = h['output_head.bias'];
      delete h['output_head.bias'];
    });
    expect(weightsError(() => readWeights(renamed, config)).message).toMatch(
      /missing 1 parameter\(s\): output_head\.bias; it has 1 tensor\(s\) this model does not: output_head\.bias2/,
    );
  });

  it.each([NaN, Infinity, -Infinity])('rejects %s in a parameter, naming the tensor and index', (bad) => {
    const params = new Map(fixtureParams).set(
      'time_mlp.2.bias',
      fixtureParams.get('time_mlp.2.bias')!.map((v, i) => (i === 3 ? bad : v)),
    );
    expect(weightsError(() => readWeights(encodeSafetensors(asTensors(params)), config)).message).toMatch(
      new RegExp(`"time_mlp\\.2\\.bias" has a non-finite value \\(${bad}\\) at index 3`),
    );
  });

  it('accepts pos_enc.pe of any length L >= 1 and no pos_enc.pe at all', () => {
    const short = encodeSafetensors([peTensor(sinusoidalTable(32, 64), [1, 32, 64]), ...asTensors(fixtureParams)]);
    expect(firstDiff(bits(readWeights(short, config).get('output_head.weight')!), bits(fixtureParams.get('output_head.weight')!))).toBe(-1);
    expect(readWeights(encodeSafetensors(asTensors(fixtureParams)), config).size).toBe(43);
  });

  it.each([
    [
      'values of another encoding',
      peTensor(sinusoidalTable(512, 64).map((v) => v * 1.01)),
      /"pos_enc\.pe" is not the sinusoidal table \(at position 0, dim 1: 1\.0099999904632568 vs 1\).*different positional encoding/,
    ],
    ['NaN', peTensor(sinusoidalTable(512, 64).map((v, i) => (i === 70 ? NaN : v))), /at position 1, dim 6: NaN.*different positional encoding/],
    [
      'another dModel',
      peTensor(sinusoidalTable(512, 32), [1, 512, 32]),
      /"pos_enc\.pe" has shape \[1, 512, 32\], but this model expects \[1, 512, 64\]/,
    ],
    ['no batch axis', peTensor(undefined, [512, 64]), /"pos_enc\.pe" has shape \[512, 64\], but this model expects \[1, 512, 64\]/],
    ['zero rows', peTensor(new Float32Array(0), [1, 0, 64]), /"pos_enc\.pe" has shape \[1, 0, 64\], but this model expects \[1, 512, 64\]/],
  ])('rejects pos_enc.pe with %s', (_, pe, message) => {
    const bytes = encodeSafetensors([pe, ...asTensors(fixtureParams)]);
    expect(weightsError(() => readWeights(bytes, config)).message).toMatch(message);
  });

  it('rejects pos_enc.pe that is not F32', () => {
    const bytes = editedFixture((h) => {
      h[POS_ENC_NAME] = { ...h[POS_ENC_NAME], dtype: 'F64', shape: [1, 256, 64] };
    });
    expect(weightsError(() => readWeights(bytes, config)).message).toMatch(/"pos_enc\.pe" has dtype F64/);
  });
});

// ---------------------------------------------------------------- fuzzing

describe('fuzzing: success or WeightsError, nothing else', () => {
  const { headerLength } = plainParse(weightsFile);
  const dataStart = 8 + headerLength;

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        outcome(() => decodeSafetensors(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes behind a plausible header length', () => {
    fc.assert(
      fc.property(fc.nat(400), fc.uint8Array({ maxLength: 400 }), (n, rest) => {
        const bytes = new Uint8Array(8 + rest.length);
        new DataView(bytes.buffer).setUint32(0, n, true);
        bytes.set(rest, 8);
        outcome(() => decodeSafetensors(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('random headers: whatever decodes, tiles the buffer with correctly sized tensors', () => {
    const sizes: Record<string, number> = { F32: 4, F16: 2, F64: 8, U8: 1 };
    const entry = fc.record(
      {
        dtype: fc.oneof(fc.constantFrom('F32', 'F16', 'F64', 'U8'), fc.anything()),
        shape: fc.oneof(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 }), fc.anything()),
        data_offsets: fc.oneof(fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 3 }), fc.anything()),
      },
      { requiredKeys: [] },
    );
    const header = fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.constant('__metadata__')), fc.oneof(entry, fc.anything()), { maxKeys: 4 });
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 48 }), (h, data) => {
        let decoded;
        try {
          decoded = decodeSafetensors(rawFile(JSON.stringify(h), data));
        } catch (e) {
          if (e instanceof WeightsError) return;
          throw e;
        }
        let covered = 0;
        for (const t of decoded.tensors.values()) {
          expect(t.data.length).toBe(sizeOf(t.shape) * sizes[t.dtype]);
          covered += t.data.length;
        }
        expect(covered).toBe(data.length);
      }),
      { numRuns: 500 },
    );
  });

  it('every truncation of the fixture is rejected as truncated', () => {
    fc.assert(
      fc.property(fc.nat(weightsFile.length - 1), (cut) => {
        expect(weightsError(() => readWeights(weightsFile.subarray(0, cut), config)).message).toMatch(/truncated/);
      }),
      { numRuns: 300 },
    );
  });

  it('every oversized header length is rejected', () => {
    const bytes = weightsFile.slice(0, 64); // the length field decides; the rest never gets read
    fc.assert(
      fc.property(fc.bigInt({ min: 57n, max: 2n ** 64n - 1n }), (n) => {
        expect(weightsError(() => readWeights(withHeaderLength(bytes, n), config)).message).toMatch(/truncated|absurd/);
      }),
      { numRuns: 300 },
    );
  });

  // Mutates one shared copy in place and restores it, rather than copying 760 kB a run.
  function mutationProperty(lo: number, hi: number) {
    const bytes = weightsFile.slice();
    const mutations = fc.array(fc.tuple(fc.integer({ min: lo, max: hi - 1 }), fc.nat(255)), { minLength: 1, maxLength: 4 });
    return fc.property(mutations, (ms) => {
      try {
        for (const [at, value] of ms) bytes[at] = value;
        outcome(() => readWeights(bytes, config));
      } finally {
        for (const [at] of ms) bytes[at] = weightsFile[at];
      }
    });
  }

  it('random mutations of the header', () => {
    fc.assert(mutationProperty(0, dataStart), { numRuns: 300 });
  });

  it('random mutations of the data', () => {
    fc.assert(mutationProperty(dataStart, weightsFile.length), { numRuns: 100 });
  });
});
