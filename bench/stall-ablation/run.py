"""Why does the notebook's recipe stall? An ablation, one change at a time.

  nice -n 19 /usr/bin/python3 bench/stall-ablation/run.py OUTDIR GROUP [--steps N] [--seeds 0,1,2]
      [--eval-every 500] [--eval-n 300] [--eval-ts 0.1,0.3,0.5,0.7,0.9]

Trains the lesson's DiffusionLM with bench/recipe-search/ens.py (the same
model, init, data, AdamW and masked mean as src/core/training.ts; parity in
that folder's check_parity.py), on the CPU with one thread. Two groups:

  add-one        the notebook's recipe, and that recipe with ONE of the
                 learns recipe's changes (embedding std 0.03; lr 2e-3 with a
                 100-step warm-up; dropout 0) or the curriculum over t;
  leave-one-out  the learns recipe, and learns with ONE change undone.

Every run is 3000 steps with cosine decay over 3000 (the notebook's budget),
batch 64, evaluated every 500 steps on a fixed set of 300 sequences at each of
five ratios (seed 1234, as ens.make_eval). One process per seed
(OUTDIR/GROUP-seedS.jsonl), so seeds can run side by side and a seed added
later joins the others in the summary. On this shared 2-core machine a step
of five models takes about 0.35 s of CPU (1 thread). Every checkpoint (accuracy and mean loss at the masked positions of
the eval set, at each t) is appended to OUTDIR/GROUP.jsonl as it happens, so a run
cut short keeps its history. summarize.py turns the files into the JSON the
lesson reads.
"""
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'recipe-search'))
import ens  # noqa: E402

STEPS = 3000
LAST_LOSS = {}


@torch.no_grad()
def evaluate_with_loss(flat, evalset, pe, chunk=500):
    """ens.evaluate (argmax accuracy at masked positions, per model and t), plus the
    mean cross-entropy there, kept in LAST_LOSS for the log: one forward pass for both."""
    W = ens.views(flat)
    M = flat.shape[0]
    res = {}
    LAST_LOSS.clear()
    for t, x0, mask in evalset:
        correct = torch.zeros(M)
        nll = torch.zeros(M)
        tot = 0
        for s in range(0, x0.shape[0], chunk):
            xb, mb = x0[s:s + chunk], mask[s:s + chunk]
            xt = xb.masked_fill(mb, 0).unsqueeze(0).expand(M, -1, -1)
            logits = ens.forward(W, xt, torch.full(xt.shape[:2], t), pe)
            correct += ((logits.argmax(-1) == xb.unsqueeze(0)) & mb.unsqueeze(0)).sum((1, 2)).float()
            ce = -torch.log_softmax(logits, -1).gather(-1, xb.unsqueeze(0).expand(M, -1, -1).unsqueeze(-1)).squeeze(-1)
            nll += (ce * mb.unsqueeze(0)).sum((1, 2))
            tot += mb.sum().item()
        res[t] = (correct / tot).tolist()
        LAST_LOSS[str(t)] = (nll / tot).tolist()
    return res
CURRICULUM = {'curr': 0.4, 'curr0': 0.3}  # share of the run, as src/core/recipes.ts CURRICULUM
NOTEBOOK = {'lr': 3e-4, 'warmup': 0, 'sched': 'cosine', 'dropout': 0.1, 'embed_std': 1.0}
LEARNS = {'lr': 2e-3, 'warmup': 100, 'sched': 'cosine', 'dropout': 0.0, 'embed_std': 0.03}

GROUPS = {
    'add-one': [
        ('notebook', NOTEBOOK),
        ('notebook + embedding std 0.03', {**NOTEBOOK, 'embed_std': 0.03}),
        ('notebook + lr 2e-3 (warm-up 100)', {**NOTEBOOK, 'lr': 2e-3, 'warmup': 100}),
        ('notebook + dropout 0', {**NOTEBOOK, 'dropout': 0.0}),
        ('notebook + curriculum over t', {**NOTEBOOK, **CURRICULUM}),
    ],
    'leave-one-out': [
        ('learns', LEARNS),
        ('learns with embedding std 1', {**LEARNS, 'embed_std': 1.0}),
        ('learns with lr 3e-4 (no warm-up)', {**LEARNS, 'lr': 3e-4, 'warmup': 0}),
        ('learns with dropout 0.1', {**LEARNS, 'dropout': 0.1}),
    ],
}


def make_eval(ts, n, seed=1234):
    """ens.make_eval at the ratios asked for: for each t, n fixed sequences and masks."""
    g = torch.Generator(device='cpu').manual_seed(seed)
    out = []
    for t in ts:
        x0 = ens.gen_x0(n, g, 'cpu')
        mask = torch.rand(n, ens.L, generator=g) < t
        out.append((t, x0, mask))
    return out


def main():
    outdir, group = sys.argv[1], sys.argv[2]
    steps = int(sys.argv[sys.argv.index('--steps') + 1]) if '--steps' in sys.argv else STEPS
    seeds = [int(s) for s in sys.argv[sys.argv.index('--seeds') + 1].split(',')] if '--seeds' in sys.argv else [0]
    eval_every = int(sys.argv[sys.argv.index('--eval-every') + 1]) if '--eval-every' in sys.argv else 500
    eval_n = int(sys.argv[sys.argv.index('--eval-n') + 1]) if '--eval-n' in sys.argv else 300
    eval_ts = [float(t) for t in sys.argv[sys.argv.index('--eval-ts') + 1].split(',')] if '--eval-ts' in sys.argv else [0.1, 0.3, 0.5, 0.7, 0.9]
    torch.set_num_threads(1)
    variants = GROUPS[group]
    models = []
    for name, cfg in variants:
        c = dict(cfg)
        if 'curr' in c:  # a share of the run, like the TS recipe, so a shorter smoke run keeps its shape
            c['curr'] = int(round(c['curr'] * steps))
        c['steps'] = steps
        models += [{'name': name, 'seed': s, 'cfg': c} for s in seeds]
    ens.evaluate = evaluate_with_loss  # train_group calls ens.evaluate at each checkpoint
    evalset = make_eval(eval_ts, eval_n)
    bayes = {t: ens.bayes_expected(x0, m) for t, x0, m in evalset}
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, f"{group}-seed{'-'.join(map(str, seeds))}.jsonl")
    with open(path, 'w') as f:
        f.write(json.dumps({'group': group, 'batch': 64, 'steps': steps, 'eval_every': eval_every, 'eval_n': eval_n,
                            'bayes_on_set': bayes, 'device': 'cpu', 'threads': 1, 'torch': torch.__version__,
                            'started': time.strftime('%Y-%m-%dT%H:%M:%S'), 'models': models}) + '\n')
        f.flush()

        def log(step, wall, ev):
            f.write(json.dumps({'step': step, 'wall': round(wall, 1), 'loss': dict(LAST_LOSS),
                                'acc': {str(t): v for t, v in ev.items()}}) + '\n')
            f.flush()
            print(group, step, f'{wall:.0f}s', ' '.join(f'{t}:{sum(v) / len(v):.3f}' for t, v in ev.items()), flush=True)

        ens.train_group([m['cfg'] for m in models], [m['seed'] for m in models], 64, evalset, eval_every, 'cpu',
                        log=log, data_seed=0)
        f.write(json.dumps({'done': True, 'finished': time.strftime('%Y-%m-%dT%H:%M:%S')}) + '\n')


if __name__ == '__main__':
    main()
