"""Turn the ablation's and the recipe search's raw histories into the JSON the lesson reads.

  /usr/bin/python3 bench/stall-ablation/summarize.py

Writes
  public/measured/stall-ablation.json   from bench/stall-ablation/results/*.jsonl (run.py):
      per variant and seed, accuracy at every checkpoint; per variant, the step at
      which each seed left the plateau (first checkpoint with accuracy >= 0.9 at t = 0.1)
      and the final accuracy;
  public/measured/recipe-search.json    from bench/recipe-search/results/*/*.jsonl:
      per variant the lesson quotes, seeds, seeds on target (paired gap >= -2 points at
      every t <= 0.8, the search's criterion), the seed-mean worst gap and final accuracy.
A run still going is summarised as far as it got (its "done" is false).
"""
import glob
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
TARGET_TS = ['0.1', '0.3', '0.5', '0.6', '0.7', '0.75', '0.8']
ESCAPE_T, ESCAPE_ACC = '0.1', 0.9


def load(path):
    lines = [json.loads(l) for l in open(path) if l.strip()]
    head = lines[0]
    evs = [l for l in lines[1:] if 'step' in l]
    done = any(l.get('done') for l in lines[1:])
    return head, evs, done


def per_model(head, evs):
    """[(model spec, [(step, {t: acc}, {t: loss} or None)])] for each model in the file."""
    out = []
    for i, m in enumerate(head['models']):
        steps = m['cfg'].get('steps', 5000)
        hist = [(e['step'], {t: e['acc'][t][i] for t in e['acc']}, {t: e['loss'][t][i] for t in e['loss']} if 'loss' in e else None)
                for e in evs if e['step'] <= steps]
        out.append((m, hist))
    return out


def worst_gap(acc, bayes):
    return min(acc[t] - bayes[t] for t in TARGET_TS)


def r4(x):
    return None if x is None else round(x, 4)


def ablation():
    """One group per run.py GROUP; a group's seeds may come from several files (one per seed)."""
    groups = {}
    for path in sorted(glob.glob(os.path.join(HERE, 'results', '*.jsonl'))):
        head, evs, done = load(path)
        g = groups.setdefault(head['group'], {'group': head['group'], 'steps': head['steps'], 'evalEvery': head['eval_every'],
                                              'evalSeqsPerRatio': head['eval_n'], 'device': head['device'], 'threads': head.get('threads'),
                                              'torch': head.get('torch'), 'started': head.get('started'), 'done': True,
                                              'bayesOnSet': {t: r4(x) for t, x in head['bayes_on_set'].items()}, 'variants': {}})
        g['done'] = g['done'] and done
        for m, hist in per_model(head, evs):
            v = g['variants'].setdefault(m['name'], {'name': m['name'], 'cfg': m['cfg'], 'seeds': []})
            escape = next((s for s, a, _ in hist if a[ESCAPE_T] >= ESCAPE_ACC), None)
            v['seeds'].append({
                'seed': m['seed'],
                'escapeStep': escape,
                'checkpoints': [{'step': s, 'accuracy': {t: r4(x) for t, x in a.items()}, 'loss': None if l is None else {t: r4(x) for t, x in l.items()}} for s, a, l in hist],
            })
    out = []
    for g in groups.values():
        variants = list(g['variants'].values())
        for v in variants:
            v['seeds'].sort(key=lambda s: s['seed'])
            # Compare seeds at the step all of them have reached.
            reached = min((s['checkpoints'][-1]['step'] for s in v['seeds'] if s['checkpoints']), default=0)
            finals = [next(c['accuracy'] for c in s['checkpoints'] if c['step'] == reached) for s in v['seeds'] if s['checkpoints']]
            v['lastStep'] = reached
            v['escaped'] = sum(s['escapeStep'] is not None and s['escapeStep'] <= reached for s in v['seeds'])
            v['meanFinalAccuracy'] = {t: r4(sum(f[t] for f in finals) / len(finals)) for t in finals[0]} if finals else None
        g['variants'] = variants
        out.append(g)
    return {
        'command': 'nice -n 19 /usr/bin/python3 bench/stall-ablation/run.py bench/stall-ablation/results GROUP --seeds S (GROUP add-one or leave-one-out, one process a seed); then bench/stall-ablation/summarize.py',
        'escape': {'t': float(ESCAPE_T), 'accuracy': ESCAPE_ACC, 'meaning': 'first checkpoint with accuracy >= 90% at t = 0.1: off the plateau'},
        'groups': out,
    }


# The recipe search's variants the lesson quotes: (name in the lesson, name in the results, rounds).
QUOTED = [
    ('learns', 'learns', ['r1']),
    ('learns, no time input', 'notime', ['r1']),
    ('learns with the ELBO weighting', 'elbo', ['r1']),
    ('learns + t weighted to high values', 'twarp0.5', ['r1']),
    ('learns + curriculum over t', 'curr2k', ['r1', 'r2']),
    ('learns + curriculum + t weighted to high values', 'curr2k-twarp0.5', ['r2', 'r3']),
]


def recipe_search():
    base = os.path.join(ROOT, 'bench', 'recipe-search', 'results')
    out = []
    for label, name, rounds in QUOTED:
        seeds = []
        for r in rounds:
            for path in sorted(glob.glob(os.path.join(base, r, '*.jsonl'))):
                head, evs, _ = load(path)
                for m, hist in per_model(head, evs):
                    if m['name'] == name and hist:
                        final = hist[-1][1]
                        seeds.append({'round': r, 'seed': m['seed'], 'step': hist[-1][0], 'worstGap': r4(worst_gap(final, head['bayes_on_set'])),
                                      'accuracy': {t: r4(x) for t, x in final.items()}})
        n = len(seeds)
        out.append({'label': label, 'variant': name, 'rounds': rounds, 'seeds': n,
                    'onTarget': sum(s['worstGap'] >= -0.02 for s in seeds),
                    'meanWorstGap': r4(sum(s['worstGap'] for s in seeds) / n),
                    'meanAccuracy': {t: r4(sum(s['accuracy'][t] for s in seeds) / n) for t in seeds[0]['accuracy']},
                    'perSeed': seeds})
    return {'source': 'bench/recipe-search/results (see bench/recipe-search/README.md); PyTorch, 5000 steps, batch 64, eval 500 sequences per t',
            'criterion': 'on target: accuracy within 2 points of the best possible on the same sequences at every t <= 0.8',
            'variants': out}


def write(name, data):
    path = os.path.join(ROOT, 'public', 'measured', name)
    with open(path, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
        f.write('\n')
    print('wrote', path)


if __name__ == '__main__':
    write('recipe-search.json', recipe_search())
    if glob.glob(os.path.join(HERE, 'results', '*.jsonl')):
        write('stall-ablation.json', ablation())
