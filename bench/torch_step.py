"""PyTorch reference for `npm run bench`: median ms per training step of the
notebook's model and recipe (batch 64, AdamW, clip, dropout 0.1 unless given) on
this CPU. Prints one JSON line. Usage: python3 bench/torch_step.py THREADS STEPS [DROPOUT]"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Positions(nn.Module):
    def __init__(self, d, max_len=512):
        super().__init__()
        pos = torch.arange(max_len).float().unsqueeze(1)
        freq = torch.exp(torch.arange(0, d, 2).float() * (-math.log(10000.0) / d))
        pe = torch.zeros(max_len, d)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * freq), torch.cos(pos * freq)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, h):
        return h + self.pe[:, : h.size(1)]


class DiffusionLM(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.token_embed = nn.Embedding(16, 64)
        self.pos_enc = Positions(64)
        self.time_mlp = nn.Sequential(nn.Linear(1, 64), nn.SiLU(), nn.Linear(64, 64))
        layer = nn.TransformerEncoderLayer(64, 4, 256, dropout, batch_first=True, norm_first=True)
        self.transformer = nn.TransformerEncoder(layer, 3)
        self.output_head = nn.Linear(64, 16)

    def forward(self, xt, t):
        return self.output_head(self.transformer(self.pos_enc(self.token_embed(xt)) + self.time_mlp(t).unsqueeze(1)))


def batch(b=64, length=32):
    period = torch.randint(2, 5, (b,))
    pattern = torch.randint(1, 16, (b, 4))
    idx = torch.arange(length).unsqueeze(0) % period.unsqueeze(1)
    return pattern.gather(1, idx)


def main():
    threads, steps = int(sys.argv[1]), int(sys.argv[2])
    dropout = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
    B = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = DiffusionLM(dropout).train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    times, cpu = [], []
    for i in range(steps + 3):
        start, start_cpu = time.perf_counter(), time.process_time()
        x0 = batch(B)
        t = torch.rand(B, 1) * 0.98 + 0.02
        mask = torch.rand(B, 32) < t
        loss = F.cross_entropy(model(x0.masked_fill(mask, 0), t)[mask], x0[mask])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss.item()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    median = lambda xs: sorted(xs[3:])[len(xs[3:]) // 2]
    print(json.dumps({"backend": f"pytorch-{torch.__version__}-{threads}t", "medianMs": median(times), "cpuMs": median(cpu), "minMs": min(times[3:]), "warmupMs": times[0]}))


if __name__ == "__main__":
    main()
