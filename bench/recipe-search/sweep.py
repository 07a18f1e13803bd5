"""Run a plan of recipe groups (see plans/*.json), each group in its own process.

  python3 sweep.py PLAN.json OUTDIR [--device cuda] [--parallel N]
  python3 sweep.py --group PLAN.json NAME OUTDIR DEVICE   (internal)

A group is {name, batch, eval_every, eval_n, models: [{name, seed, cfg}]}; all its
models train together (ens.train_group). Every eval checkpoint is appended to
OUTDIR/NAME.jsonl, so a run cut short still leaves its history.
"""
import json
import os
import subprocess
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ens  # noqa: E402


def run_group(plan_path, name, outdir, device):
    plan = json.load(open(plan_path))
    grp = next(g for g in plan['groups'] if g['name'] == name)
    if device == 'cpu':
        torch.set_num_threads(1)
    else:
        torch.backends.cuda.matmul.allow_tf32 = False
    evalset = ens.make_eval(device, n=grp.get('eval_n', 500))
    bayes = {t: ens.bayes_expected(x0, m) for t, x0, m in evalset}
    models = grp['models']
    path = os.path.join(outdir, name + '.jsonl')
    f = open(path, 'w')
    f.write(json.dumps({'group': name, 'batch': grp['batch'], 'bayes_on_set': bayes, 'device': device,
                        'models': models}) + '\n')
    f.flush()

    def log(step, wall, ev):
        f.write(json.dumps({'step': step, 'wall': wall, 'acc': {str(t): v for t, v in ev.items()}}) + '\n')
        f.flush()
        print(name, step, f'{wall:.0f}s', ' '.join(f'{t}:{sum(v) / len(v):.3f}' for t, v in ev.items()), flush=True)

    ens.train_group([m['cfg'] for m in models], [m['seed'] for m in models], grp['batch'], evalset,
                    grp.get('eval_every', 500), device, log=log, data_seed=grp.get('data_seed', 0))
    f.write(json.dumps({'done': True}) + '\n')
    f.close()


def main():
    if sys.argv[1] == '--group':
        run_group(*sys.argv[2:6])
        return
    plan_path, outdir = sys.argv[1], sys.argv[2]
    device = sys.argv[sys.argv.index('--device') + 1] if '--device' in sys.argv else 'cuda'
    par = int(sys.argv[sys.argv.index('--parallel') + 1]) if '--parallel' in sys.argv else 4
    only = sys.argv[sys.argv.index('--only') + 1].split(',') if '--only' in sys.argv else None
    os.makedirs(outdir, exist_ok=True)
    plan = json.load(open(plan_path))
    names = [g['name'] for g in plan['groups'] if only is None or g['name'] in only]
    running = []
    t0 = time.time()
    while names or running:
        while names and len(running) < par:
            n = names.pop(0)
            running.append((n, subprocess.Popen([sys.executable, __file__, '--group', plan_path, n, outdir, device])))
        time.sleep(1)
        for r in list(running):
            if r[1].poll() is not None:
                print(f'group {r[0]} exited {r[1].returncode} at {time.time() - t0:.0f}s', flush=True)
                running.remove(r)


if __name__ == '__main__':
    main()
