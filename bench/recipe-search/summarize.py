"""Summarise a queue_run.py results folder: per configuration and seed, the worst
paired gap over t <= 0.8 at each checkpoint, the final accuracy per ratio, and
whether it is on target (every t <= 0.8 within 2 points of the best possible on
the same sequences).

  python3 summarize.py results/r7-cpu [--detail NAME]
"""
import glob
import json
import os
import sys


def load(path):
    lines = [json.loads(l) for l in open(path) if l.strip()]
    head = lines[0]
    evs = [l for l in lines[1:] if 'step' in l]
    return head, evs, any(l.get('done') for l in lines)


def gaps_at(head, ev, i):
    final = ev['step'] == head['cfg'].get('steps', 2000)
    ref = head['bayes_on_set'] if final else head['bayes_on_checkup_set']
    return {t: ev['acc'][t][i] - ref[t] for t in ev['acc'] if float(t) <= 0.8 + 1e-9}


def print_rows(label, head, evs, done):
    for i, seed in enumerate(head['seeds']):
        cells = []
        for ev in evs:
            g = gaps_at(head, ev, i)
            cells.append(f'{ev["step"]}:{100 * min(g.values()):+.1f}')
        last = gaps_at(head, evs[-1], i) if evs else {}
        verdict = ('yes' if min(last.values()) >= -0.02 else 'no') if done and last else 'running'
        worst_t = min(last, key=last.get) if last else '-'
        print(f'{label:44s} {seed:5d}  {" ".join(cells):52s} @t={worst_t:<5s} {verdict}')


def main():
    d = sys.argv[1]
    detail = sys.argv[sys.argv.index('--detail') + 1] if '--detail' in sys.argv else None
    files = sorted(glob.glob(os.path.join(d, '*.jsonl')), key=os.path.getmtime)
    print(f'{"configuration":44s} {"seed":>5s}  worst paired gap (pts) at each checkpoint            final  on target')
    for path in files:
        if path.endswith('queue.jsonl'):
            continue
        head, all_evs, done = load(path)
        # The trained weights first, then each moving average of them (tag 'ema<d>').
        for tag in dict.fromkeys(ev.get('tag') for ev in all_evs):
            evs = [ev for ev in all_evs if ev.get('tag') == tag]
            print_rows(head['name'] + (' ' + tag if tag else ''), head, evs, done)
        if detail == head['name'] and all_evs:
            ev = [e for e in all_evs if 'tag' not in e][-1]
            ref = head['bayes_on_set'] if ev['step'] == head['cfg'].get('steps', 2000) else head['bayes_on_checkup_set']
            print('   t      ' + ' '.join(f'{t:>6s}' for t in ev['acc']))
            print('   best   ' + ' '.join(f'{100 * ref[t]:6.1f}' for t in ev['acc']))
            for i, seed in enumerate(head['seeds']):
                print(f'   s{seed:<5d} ' + ' '.join(f'{100 * ev["acc"][t][i]:6.1f}' for t in ev['acc']))


main()
