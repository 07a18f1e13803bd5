"""Round 7 onwards (CPU): run a queue of short-run configurations, one process, one
thread, one configuration at a time, so a shared 2-core machine stays usable.

  nice -n 19 /usr/bin/python3 queue_run.py QUEUE.jsonl OUTDIR

Each QUEUE line is {"name", "seeds": [...], "batch": 64, "cfg": {ens.DEFAULT keys}}.
The seeds of one line train together (ens.train_group, one model per seed, each
with its own init and data). The queue file is re-read after every run, so lines
can be appended while it works; a line whose OUTDIR/<name>.jsonl ends in "done"
is skipped. Every checkpoint is appended to that file as it is evaluated.

Eval: a fixed set (seed 4321) of EVAL_N sequences per ratio, the ratios the
criterion needs (every t <= 0.8 that `unmask eval` reports is below 0.77; 0.8
itself is added because it is the hardest), argmax over all logits, accuracy at
masked positions. The gap is paired: the model minus the exact Bayes denoiser's
expected accuracy on the same sequences (ens.bayes_expected).
"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ens  # noqa: E402

TS = [0.1, 0.3, 0.5, 0.6, 0.65, 0.7, 0.75, 0.768, 0.8, 0.9]
EVAL_N = 1000
# Check-ups before the last step: the ratios where the gap lives, fewer sequences (a trend, not a verdict).
CHECKUP_TS = [0.1, 0.5, 0.7, 0.768, 0.8]
CHECKUP_N = 300


def make_eval(n=EVAL_N, seed=4321, ts=TS):
    g = torch.Generator().manual_seed(seed)
    out = []
    for t in ts:
        x0 = ens.gen_x0(n, g, 'cpu')
        mask = torch.rand(n, ens.L, generator=g) < t
        out.append((t, x0, mask))
    return out


def done(path):
    if not os.path.exists(path):
        return False
    lines = open(path).read().strip().splitlines()
    return bool(lines) and json.loads(lines[-1]).get('done', False)


def run(entry, outdir, evalset, bayes, checkup, checkup_bayes):
    name, seeds, batch, cfg = entry['name'], entry['seeds'], entry.get('batch', 64), entry['cfg']
    unknown = set(cfg) - set(ens.DEFAULT) - set(ens.INIT_SCALES) - {'decay_frac'}
    if unknown:  # a typo would otherwise train the default silently
        raise ValueError(f'{name}: unknown settings {sorted(unknown)}')
    steps = cfg.get('steps', 2000)
    eval_steps = set(entry.get('eval_steps', [s for s in (500, 1000, 1250, 1500, 1750, 2000, 2500, 3000) if s < steps] + [steps]))
    path = os.path.join(outdir, name + '.jsonl')
    f = open(path, 'w')
    f.write(json.dumps({'name': name, 'batch': batch, 'seeds': seeds, 'cfg': cfg, 'eval_n': EVAL_N,
                        'bayes_on_set': {str(t): b for t, b in bayes.items()}, 'checkup_n': CHECKUP_N,
                        'bayes_on_checkup_set': {str(t): b for t, b in checkup_bayes.items()}, 'started': time.time()}) + '\n')
    f.flush()

    def log(step, wall, ev, tag=None):
        f.write(json.dumps({'step': step, 'wall': wall, 'acc': {str(t): v for t, v in ev.items()}, **({'tag': tag} if tag else {})}) + '\n')
        f.flush()
        ref = bayes if step == steps else checkup_bayes
        worst = [min(ev[t][i] - ref[t] for t in ev if t <= 0.8) for i in range(len(seeds))]
        print(f'{name}{" " + tag if tag else ""} step {step} {wall:.0f}s worst paired gap ' + ' '.join(f'{100 * w:+.1f}' for w in worst), flush=True)

    ens.train_group([dict(cfg, steps=steps) for _ in seeds], seeds, batch, evalset, 10 ** 9, 'cpu', log=log,
                    data_seed=entry.get('data_seed', seeds[0]), eval_steps=eval_steps,
                    checkup_evalset=checkup, ema_decays=entry.get('ema', ()))
    f.write(json.dumps({'done': True, 'finished': time.time()}) + '\n')
    f.close()


def main():
    qpath, outdir = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    os.makedirs(outdir, exist_ok=True)
    evalset = make_eval()
    bayes = {t: ens.bayes_expected(x0, m) for t, x0, m in evalset}
    checkup = make_eval(CHECKUP_N, 8765, CHECKUP_TS)
    checkup_bayes = {t: ens.bayes_expected(x0, m) for t, x0, m in checkup}
    while True:
        pending = [json.loads(l) for l in open(qpath) if l.strip() and not l.startswith('#')]
        pending = [e for e in pending if not done(os.path.join(outdir, e['name'] + '.jsonl'))]
        if not pending:
            print('queue empty', flush=True)
            return
        run(pending[0], outdir, evalset, bayes, checkup, checkup_bayes)


if __name__ == '__main__':
    main()
