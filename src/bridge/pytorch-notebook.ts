/**
 * "Open in PyTorch": a Jupyter notebook (.ipynb) that takes a learner's model
 * back to PyTorch. It defines the seed notebook's DiffusionLM with the seed's
 * names, reads the weights embedded in it (base64 safetensors) with a reader
 * written out in the notebook, loads them strictly, and reproduces the
 * lesson's accuracy-against-ratio table beside the exact best possible.
 *
 * Pure: safetensors bytes in, notebook JSON out. The page and the tests call
 * the same function; tests/unit/pytorch-notebook.test.ts runs the result in
 * PyTorch and holds its table to `unmask eval` on the same weights.
 */
import { DEFAULT_DATA, DEFAULT_MODEL } from '../core/config.ts';
import { DEFAULT_RATIOS } from '../core/metrics.ts';
import { decodeSafetensors, readWeights } from '../core/weights.ts';

export interface NotebookOptions {
  /** The model's safetensors file, as the page downloads it (PyTorch names). */
  readonly weights: Uint8Array;
  /** What the learner calls this model, e.g. "pretrained: learns, 5000 steps". */
  readonly label: string;
  /** Sequences per masking ratio in the accuracy table (the lesson's tables use 1000). */
  readonly seqsPerRatio?: number;
  /** torch.manual_seed for the evaluation's data and masks. */
  readonly seed?: number;
}

/** Base64 lines of this length keep the weights cell a tall column rather than one huge line. */
const BASE64_LINE = 120;

/** Base64 without Node's Buffer, so the page can run this too. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  // A multiple of 3 bytes per chunk, so chunks concatenate without padding in between.
  for (let i = 0; i < bytes.length; i += 3 * 4096) out += btoa(String.fromCharCode(...bytes.subarray(i, i + 3 * 4096)));
  return out;
}

interface Cell {
  readonly cell_type: 'markdown' | 'code';
  readonly id: string;
  readonly metadata: Record<string, unknown>;
  readonly source: string[];
  readonly outputs?: unknown[];
  readonly execution_count?: null;
}

/** Jupyter keeps a cell's text as lines, each but the last ending in "\n". */
const lines = (text: string): string[] => {
  const all = text.replace(/^\n/, '').replace(/\n$/, '').split('\n');
  return all.map((l, i) => (i < all.length - 1 ? `${l}\n` : l));
};

/**
 * Text from the learner's side (a file name, a weights file's metadata) shown
 * in Markdown: Jupyter renders HTML and links in Markdown, so only plain
 * characters survive.
 */
const plain = (text: string, max = 120): string =>
  text
    .replace(/[^\p{L}\p{N} .,:;=+\-/()']/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Bell number: the equality structures (set partitions) of a pattern of length p. */
function bell(p: number): number {
  let row = [1];
  for (let i = 0; i < p; i++) {
    const next = [row[row.length - 1]];
    for (const x of row) next.push(next[next.length - 1] + x);
    row = next;
  }
  return row[0];
}

function notebookCells(
  o: Required<Omit<NotebookOptions, 'weights'>> & { weightsBase64: string; ignoreTime: boolean; metadata: Record<string, string> },
): { kind: 'markdown' | 'code' | 'weights'; text: string }[] {
  const d = DEFAULT_DATA;
  const m = DEFAULT_MODEL;
  const ratios = DEFAULT_RATIOS.map((t) => Number(t.toFixed(6)));
  const periods = Array.from({ length: d.maxPeriod - d.minPeriod + 1 }, (_, i) => d.minPeriod + i);
  const classes = periods.reduce((a, p) => (a * p) / gcd(a, p), 1);
  const structures = periods.reduce((n, p) => n + bell(p), 0);
  const about = Object.entries(o.metadata)
    .filter(([k]) => k !== 'format')
    .slice(0, 12)
    .map(([k, v]) => `${plain(k, 40)} = ${plain(v, 80)}`)
    .join('; ');
  return [
    {
      kind: 'markdown',
      text: `
# Your Unmask model, back in PyTorch

This notebook was written by the Unmask lesson (*Masked diffusion for text: the forward process*) for the model you had loaded there: **${plain(o.label) || 'unnamed'}**.${about ? `\n\nWhat the weights file says about itself: ${about}.` : ''}

It needs nothing but Python 3 and PyTorch. Run the cells from top to bottom (in Jupyter, *Run All*; in Colab, *Runtime → Run all*). They:

1. define the model exactly as the original Colab notebook does (same class names, same layer names);
2. read your weights, which travel inside this notebook, with a safetensors reader short enough to read in full;
3. measure accuracy at masked positions for ${ratios.length} masking ratios, as section 10 of the lesson does, next to the best accuracy any model could reach on this data, computed exactly.

From here the model is an ordinary \`nn.Module\`: train it further, change it, or save it with \`torch.save(model.state_dict(), ...)\`.`,
    },
    {
      kind: 'code',
      text: `
import base64
import json
import math
import struct

import torch
import torch.nn as nn

# The lesson's settings (the original notebook's names).
VOCAB_SIZE = ${m.vocabSize}   # token ids 0..${m.vocabSize - 1}; 0 is [MASK]
SEQ_LEN = ${d.seqLen}
MASK_TOKEN = 0
D_MODEL = ${m.dModel}
N_HEADS = ${m.nHeads}
N_LAYERS = ${m.nLayers}
PERIODS = (${periods.join(', ')},)   # pattern lengths in the data

SEED = ${o.seed}
SEQS_PER_RATIO = ${o.seqsPerRatio}
RATIOS = [${ratios.join(', ')}]
# Checkpoints trained with the time input switched off were trained seeing t = 0 everywhere.
IGNORE_TIME = ${o.ignoreTime ? 'True' : 'False'}

device = torch.device("cpu")   # the model is small; a GPU would not be faster here
print("PyTorch", torch.__version__)`,
    },
    {
      kind: 'markdown',
      text: `
## The model

A bidirectional Transformer encoder: token embedding plus fixed sinusoidal positions, plus a small MLP of the masking ratio $t$ added at every position, then ${m.nLayers} pre-norm encoder layers and a linear head that scores every token id at every position. No causal mask: every position sees both sides. The names match the original notebook, so its \`state_dict\` keys and ours are the same.`,
    },
    {
      kind: 'code',
      text: `
class PositionalEncoding(nn.Module):
    """Fixed sines and cosines, one row per position, added to the embeddings."""

    def __init__(self, d_model, max_len=${m.maxLen}):
        super().__init__()
        position = torch.arange(max_len).float().unsqueeze(1)            # [max_len, 1]
        frequency = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(position * frequency)
        pe[:, 1::2] = torch.cos(position * frequency)
        self.register_buffer("pe", pe.unsqueeze(0))                      # [1, max_len, d_model]

    def forward(self, x):
        return x + self.pe[:, : x.size(1)]


class DiffusionLM(nn.Module):
    """Predicts the clean token at every position of a masked sequence x_t, given its ratio t."""

    def __init__(self, vocab_size, d_model, n_heads, n_layers, max_len=${m.maxLen}, dropout=${m.dropout}):
        super().__init__()
        self.token_embed = nn.Embedding(vocab_size, d_model)
        self.pos_enc = PositionalEncoding(d_model, max_len)
        self.time_mlp = nn.Sequential(nn.Linear(1, d_model), nn.SiLU(), nn.Linear(d_model, d_model))
        layer = nn.TransformerEncoderLayer(
            d_model=d_model, nhead=n_heads, dim_feedforward=${m.dFF},
            dropout=dropout, batch_first=True, norm_first=True,
        )
        self.transformer = nn.TransformerEncoder(layer, n_layers)
        self.output_head = nn.Linear(d_model, vocab_size)

    def forward(self, x_t, t):
        # x_t: [B, L] token ids; t: [B, 1] float32 ratios
        h = self.pos_enc(self.token_embed(x_t))                            # [B, L, D]
        h = h + self.time_mlp(t).unsqueeze(1)                              # the same vector at every position
        h = self.transformer(h)                                            # no mask: attention looks both ways
        return self.output_head(h)                                         # logits [B, L, V]


model = DiffusionLM(VOCAB_SIZE, D_MODEL, N_HEADS, N_LAYERS).to(device)
print(f"DiffusionLM parameters: {sum(p.numel() for p in model.parameters()):,}")`,
    },
    {
      kind: 'markdown',
      text: `
## Your weights

The next cell holds your model's weights: a safetensors file, written as base64 text so that it travels inside this notebook (it is long; Jupyter shows it collapsed). A safetensors file is simple enough to read by hand:

- 8 bytes: the length $n$ of a JSON header, as a little-endian unsigned integer;
- $n$ bytes of JSON: for each tensor its name, \`dtype\`, \`shape\` and \`data_offsets\` (where its bytes start and end), plus optional \`__metadata__\`;
- then the raw data, little-endian.

The reader after it checks every one of those facts before it builds a tensor, and \`load_state_dict(strict=True)\` checks that every name and shape matches the model.`,
    },
    { kind: 'weights', text: `WEIGHTS_BASE64 = """\n${(o.weightsBase64.match(new RegExp(`.{1,${BASE64_LINE}}`, 'g')) ?? []).join('\n')}\n"""` },
    {
      kind: 'code',
      text: `
def read_safetensors(raw):
    """Bytes of a float32 safetensors file -> ({name: tensor}, metadata). Raises ValueError on anything odd."""
    if len(raw) < 8:
        raise ValueError("too short to be a safetensors file")
    (header_len,) = struct.unpack("<Q", raw[:8])
    if header_len > len(raw) - 8:
        raise ValueError(f"the header claims {header_len} bytes but the file has {len(raw) - 8} after its length")
    header = json.loads(raw[8 : 8 + header_len].decode("utf-8"))
    data = raw[8 + header_len :]
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, info in header.items():
        if info.get("dtype") != "F32":
            raise ValueError(f"{name}: dtype {info.get('dtype')!r}, expected F32")
        shape = [int(s) for s in info["shape"]]
        begin, end = (int(x) for x in info["data_offsets"])
        if not 0 <= begin <= end <= len(data):
            raise ValueError(f"{name}: data_offsets {begin}..{end} fall outside the {len(data)} data bytes")
        if end - begin != 4 * math.prod(shape):
            raise ValueError(f"{name}: {end - begin} bytes for shape {shape}")
        # bytearray: a writable copy, so torch does not warn about read-only memory.
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(shape)
    return tensors, metadata


weights, weights_metadata = read_safetensors(base64.b64decode(WEIGHTS_BASE64))
model.load_state_dict(weights, strict=True)   # every name and shape must match
model.eval()                                  # no dropout from here on
print(f"Loaded {len(weights)} tensors; metadata: {weights_metadata}")`,
    },
    {
      kind: 'markdown',
      text: `
## The data and the forward process

Each sequence is a pattern of ${d.minPeriod} to ${d.maxPeriod} tokens (each drawn from 1 to ${d.vocabSize - 1}), repeated to ${d.seqLen} tokens. The forward process hides every token on its own with probability $t$: it draws $u \\sim U[0, 1)$ per token and masks it when $u < t$.`,
    },
    {
      kind: 'code',
      text: `
def generate_pattern_data(batch_size, seq_len, vocab_size, generator):
    """[batch_size, seq_len] sequences, each a random pattern of length in PERIODS, tiled."""
    rows = []
    for _ in range(batch_size):
        period = PERIODS[int(torch.randint(len(PERIODS), (1,), generator=generator))]
        pattern = torch.randint(1, vocab_size, (period,), generator=generator)
        rows.append(pattern.repeat(seq_len // period + 1)[:seq_len])
    return torch.stack(rows)


def mask_tokens(x_0, t, generator):
    """The forward process q(x_t | x_0): each token becomes [MASK] with probability t ([B, 1])."""
    mask = torch.rand(x_0.shape, generator=generator) < t
    return x_0.masked_fill(mask, MASK_TOKEN), mask`,
    },
    {
      kind: 'markdown',
      text: `
## Accuracy at masked positions

For each ratio $t$: draw ${o.seqsPerRatio} fresh sequences, mask them at $t$, and count how often the model's most likely token at a masked position is the right one. Visible positions are not counted. (The ratio is passed as a float32 tensor of shape [B, 1]; the original notebook's accuracy cell passed a float64 and stopped with a dtype error.)`,
    },
    {
      kind: 'code',
      text: `
@torch.no_grad()
def accuracy_at(model, t_val, n_seqs, generator, batch_size=500):
    """(correct, masked): the model's argmax against x_0 at the masked positions of n_seqs sequences."""
    correct = masked = 0
    for start in range(0, n_seqs, batch_size):
        b = min(batch_size, n_seqs - start)
        x_0 = generate_pattern_data(b, SEQ_LEN, VOCAB_SIZE, generator)
        t = torch.full((b, 1), float(t_val))
        x_t, mask = mask_tokens(x_0, t, generator)
        logits = model(x_t, torch.zeros_like(t) if IGNORE_TIME else t)
        predicted = logits.argmax(dim=-1)
        correct += int((predicted[mask] == x_0[mask]).sum())
        masked += int(mask.sum())
    return correct, masked`,
    },
    {
      kind: 'markdown',
      text: `
## The best possible, exactly

No model can beat the Bayes-optimal denoiser, and for this data it can be computed exactly. Given the visible tokens, each period $p$ either conflicts with them (two visible tokens a multiple of $p$ apart differ) or fixes the pattern tokens it has seen, each with probability $1/${d.vocabSize - 1}$. So $P(p \\mid \\text{visible}) \\propto ${d.vocabSize - 1}^{-(\\text{pattern tokens seen})}$, and a blank's best guess is the token with the most posterior mass.

Averaging that over every mask needs one more idea. Every period divides ${classes}, so what matters is only which of the ${classes} position classes (position mod ${classes}) hold a visible token, and which pattern tokens are equal to each other. There are $2^{${classes}}$ such sets and ${structures} equality structures: few enough to enumerate once, after which each $t$ is a sum.`,
    },
    {
      kind: 'code',
      text: `
def period_posterior(x_t):
    """{period: (P(period | visible), pins)}; pins[r] is the token seen at residue r (MASK_TOKEN if none)."""
    R = VOCAB_SIZE - 1
    log_w, pins = {}, {}
    for p in PERIODS:
        pin, seen, consistent = [MASK_TOKEN] * p, 0, True
        for i, v in enumerate(x_t):
            if v == MASK_TOKEN:
                continue
            if pin[i % p] == MASK_TOKEN:
                pin[i % p], seen = v, seen + 1
            elif pin[i % p] != v:
                consistent = False
                break
        pins[p] = pin
        log_w[p] = -seen * math.log(R) if consistent else -math.inf   # the uniform prior over periods cancels
    top = max(log_w.values())
    weights = {p: math.exp(w - top) for p, w in log_w.items()}
    total = sum(weights.values())
    return {p: (weights[p] / total, pins[p]) for p in PERIODS}


def best_guess_probability(posterior, i):
    """max over tokens v of P(x_0[i] = v | visible), for a masked position i."""
    R = VOCAB_SIZE - 1
    spread, pinned = 0.0, {}
    for p, (w, pin) in posterior.items():
        if pin[i % p] == MASK_TOKEN:
            spread += w / R                       # this period has not seen i's residue: uniform
        else:
            pinned[pin[i % p]] = pinned.get(pin[i % p], 0.0) + w
    return spread + max(pinned.values(), default=0.0)


def equality_structures(p, prefix=()):
    """Patterns of length p up to renaming tokens: (0, 1, 0) stands for every pattern 'a b a' with a != b."""
    if len(prefix) == p:
        yield prefix
        return
    for block in range(max(prefix, default=-1) + 2):
        yield from equality_structures(p, prefix + (block,))


CLASSES = math.lcm(*PERIODS)   # every period divides it
CLASS_SIZE = [len(range(r, SEQ_LEN, CLASSES)) for r in range(CLASSES)]
_uncovered = None


def uncovered_scores():
    """score[S]: expected sum, over classes not in S (no visible token), of class size x best-guess probability."""
    global _uncovered
    if _uncovered is None:
        R = VOCAB_SIZE - 1
        structures = []
        for p in PERIODS:
            for s in equality_structures(p):
                k = max(s) + 1                    # distinct tokens in the pattern
                prob = 1 / len(PERIODS)
                for j in range(p):
                    prob *= (R - j) / R if j < k else 1 / R
                structures.append(([b + 1 for b in s], prob))
        _uncovered = []
        for S in range(2 ** CLASSES):
            score = 0.0
            for pattern, prob in structures:
                x_t = [pattern[r % len(pattern)] if S >> r & 1 else MASK_TOKEN for r in range(CLASSES)]
                posterior = period_posterior(x_t)
                for r in range(CLASSES):
                    if not S >> r & 1:
                        score += prob * CLASS_SIZE[r] * best_guess_probability(posterior, r)
            _uncovered.append(score)
    return _uncovered


def exact_best_possible(t):
    """The Bayes-optimal denoiser's expected accuracy at masked positions at ratio t, with no sampling."""
    # A masked position whose class holds a visible token is certain.
    expected = sum(n * (t - t**n) for n in CLASS_SIZE)
    for S, score in enumerate(uncovered_scores()):
        p_S = 1.0
        for r in range(CLASSES):
            p_S *= 1 - t ** CLASS_SIZE[r] if S >> r & 1 else t ** CLASS_SIZE[r]
        expected += p_S * score
    return expected / (SEQ_LEN * t)`,
    },
    {
      kind: 'markdown',
      text: `
## The table

The same ratios as the lesson's table in section 10 and \`unmask eval\`. Expect the model's column to match the lesson's within sampling error: with ${o.seqsPerRatio} sequences per ratio, a few tenths of a point at low $t$ and a point or two at high $t$.`,
    },
    {
      kind: 'code',
      text: `
generator = torch.Generator().manual_seed(SEED)
RESULTS = []
print(f"accuracy at masked positions, {SEQS_PER_RATIO} sequences per ratio")
print("     t  accuracy  best possible   gap   masked")
for t_val in RATIOS:
    correct, masked = accuracy_at(model, t_val, SEQS_PER_RATIO, generator)
    best = exact_best_possible(t_val)
    RESULTS.append({"t": t_val, "correct": correct, "masked": masked, "accuracy": correct / masked, "best_possible": best})
    gap = round(100 * (best - correct / masked), 1) + 0.0   # + 0.0 turns a rounded -0.0 into 0.0
    print(f"{t_val:6.3f}   {100 * correct / masked:5.1f}%    {100 * best:5.1f}%      {gap:5.1f}  {masked:6d}")`,
    },
  ];
}

/** The .ipynb text for a model's safetensors bytes. Throws WeightsError if the bytes are not this lesson's model. */
export function pytorchNotebook({ weights, label, seqsPerRatio = 1000, seed = 0 }: NotebookOptions): string {
  readWeights(weights, DEFAULT_MODEL); // every name, shape and byte checked here, so a bad file never becomes a broken notebook
  if (!Number.isInteger(seqsPerRatio) || seqsPerRatio < 1) throw new RangeError(`seqsPerRatio must be a positive integer, got ${seqsPerRatio}`);
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  const metadata = decodeSafetensors(weights).metadata;
  const spec = notebookCells({ label, seqsPerRatio, seed, weightsBase64: toBase64(weights), ignoreTime: metadata.ignore_time === 'true', metadata });
  const cells: Cell[] = spec.map(({ kind, text }, i) => {
    const id = `unmask-${String(i + 1).padStart(2, '0')}`;
    if (kind === 'markdown') return { cell_type: 'markdown', id, metadata: {}, source: lines(text) };
    // The weights cell starts collapsed in Jupyter and Colab: thousands of lines of base64 are not for reading.
    const metadataFor = kind === 'weights' ? { jupyter: { source_hidden: true }, cellView: 'form', collapsed: true } : {};
    return { cell_type: 'code', id, metadata: metadataFor, source: lines(text), outputs: [], execution_count: null };
  });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python' },
      unmask: { label, seqsPerRatio, seed },
    },
    cells,
  };
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/** The code cells' source, in order: what "Run All" executes. */
export function notebookCode(ipynb: string): string {
  const nb = JSON.parse(ipynb) as { cells: { cell_type: string; source: string[] }[] };
  return nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => c.source.join(''))
    .join('\n\n');
}
