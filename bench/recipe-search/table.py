"""Markdown table of one variant's final accuracy per seed vs best possible.
Usage: python3 table.py results/r5-cpu VARIANT"""
import sys
exec(open(__file__.replace('table.py', 'analyze.py')).read().replace('\nmain()\n', '\n'))
d, v = sys.argv[1], sys.argv[2]
rs = load(d)[v]
T = TS + ['0.9']
print('| t | ' + ' | '.join(T) + ' |')
print('|---|' + '---|' * len(T))
print('| best possible, exact | ' + ' | '.join(f'{100 * BEST[t]:.1f}' for t in T) + ' |')
print('| best possible on this eval set | ' + ' | '.join(f'{100 * rs[0]["bayes"][t]:.1f}' for t in T) + ' |')
for r in rs:
    s, a, w = r['hist'][-1]
    print(f'| seed {r["seed"]} (step {s}) | ' + ' | '.join(f'{100 * a[t]:.1f}' for t in T) + f' |')
    print(f'| gap, paired | ' + ' | '.join(f'{100 * (a[t] - r["bayes"][t]):+.1f}' for t in T) + ' |')
