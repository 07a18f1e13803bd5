"""Summarise results/<round>/*.jsonl: per variant, final accuracy (mean over seeds), worst
paired gap to the Bayes accuracy on the same eval set over t <= 0.8, seeds on target, and the
first checkpoint at which each seed is on target (all t <= 0.8 within 2 points).
Usage: python3 analyze.py results/r1 [--seeds VARIANT]"""
import glob, json, sys
from collections import OrderedDict

TS = ['0.1', '0.3', '0.5', '0.6', '0.7', '0.75', '0.8']
BEST = {'0.1': 0.99999997, '0.3': 0.99992877, '0.5': 0.99715586, '0.6': 0.98878388, '0.7': 0.96192402,
        '0.75': 0.93205601, '0.8': 0.88053957, '0.9': 0.65223822}


def load(d):
    out = OrderedDict()
    for path in sorted(glob.glob(d + '/*.jsonl')):
        lines = [json.loads(l) for l in open(path)]
        head, evs = lines[0], [l for l in lines[1:] if 'step' in l]
        for i, m in enumerate(head['models']):
            steps = m['cfg'].get('steps', 5000)
            hist = [(e['step'], {t: e['acc'][t][i] for t in e['acc']}, e['wall']) for e in evs if e['step'] <= steps]
            out.setdefault(m['name'], []).append({'seed': m['seed'], 'batch': head['batch'], 'hist': hist,
                                                 'bayes': head['bayes_on_set'], 'cfg': m['cfg'], 'steps': steps})
    return out


def gap(acc, bayes, ref='paired'):
    return min(acc[t] - (bayes[t] if ref == 'paired' else BEST[t]) for t in TS)


def main():
    d = sys.argv[1]
    runs = load(d)
    print(f'{"variant":22s} {"B":>4s} {"steps":>6s} ' + ' '.join(f'{t:>6s}' for t in TS + ['0.9']) + '  worstgap(paired/exact) min..max  on-target  first-step-on-target per seed')
    for name, rs in runs.items():
        fin = [r['hist'][-1][1] for r in rs if r['hist']]
        if not fin:
            continue
        mean = {t: sum(f[t] for f in fin) / len(fin) for t in fin[0]}
        gaps = [gap(r['hist'][-1][1], r['bayes']) for r in rs if r['hist']]
        gapx = [gap(r['hist'][-1][1], r['bayes'], 'exact') for r in rs if r['hist']]
        firsts = []
        for r in rs:
            f = next((s for s, a, _ in r['hist'] if gap(a, r['bayes']) >= -0.02), None)
            firsts.append(f)
        ok = sum(g >= -0.02 for g in gaps)
        print(f'{name:22s} {rs[0]["batch"]:4d} {rs[0]["steps"]:6d} ' + ' '.join(f'{100 * mean[t]:6.1f}' for t in TS + ['0.9']) +
              f'  {100 * sum(gaps) / len(gaps):5.1f}/{100 * sum(gapx) / len(gapx):5.1f} [{100 * min(gaps):5.1f}..{100 * max(gaps):5.1f}]  {ok}/{len(gaps)}  {firsts}')
    if '--seeds' in sys.argv:
        v = sys.argv[sys.argv.index('--seeds') + 1]
        for r in runs[v]:
            print(f'-- {v} seed {r["seed"]}')
            for s, a, w in r['hist']:
                print(f'   {s:6d} {w:5.0f}s ' + ' '.join(f'{100 * a[t]:6.1f}' for t in TS + ['0.9']) + f'  gap {100 * gap(a, r["bayes"]):5.1f}')
    print('exact best      ' + ' ' * 13 + ' '.join(f'{100 * BEST[t]:6.1f}' for t in TS + ['0.9']))


main()
