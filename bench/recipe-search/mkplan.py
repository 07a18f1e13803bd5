"""Write plans/*.json. Usage: python3 mkplan.py"""
import json, os
os.makedirs('plans', exist_ok=True)
SEEDS = list(range(6))

def group(name, batch, variants, seeds=SEEDS, eval_every=500, eval_n=500):
    return {'name': name, 'batch': batch, 'eval_every': eval_every, 'eval_n': eval_n,
            'models': [{'name': vn, 'seed': s, 'cfg': cfg} for vn, cfg in variants for s in seeds]}

smoke = {'groups': [group('smoke', 8, [('learns', {'steps': 20}), ('elbo', {'steps': 20, 'loss': 'elbo', 'dropout': 0.1, 'strat': True, 'twarp': 0.5, 'curr': 10, 'tmix': 0.3})], seeds=[0], eval_every=10, eval_n=20)]}
json.dump(smoke, open('plans/smoke.json', 'w'), indent=1)

r1 = {'groups': [
    group('b64a', 64, [
        ('learns', {}),
        ('elbo', {'loss': 'elbo'}),
        ('twarp0.5', {'twarp': 0.5}),
        ('tmix0.5', {'tmix': 0.5, 'tmix_lo': 0.5}),
        ('curr2k', {'curr': 2000, 'curr0': 0.3}),
        ('strat', {'strat': True}),
        ('notime', {'ignore_time': True}),
    ]),
    group('b64b', 64, [
        ('lr1e-3', {'lr': 1e-3}),
        ('lr4e-3-wu500', {'lr': 4e-3, 'warmup': 500}),
        ('beta2-0.98', {'beta2': 0.98}),
        ('wd0', {'wd': 0.0}),
        ('emb0.1', {'embed_std': 0.1}),
        ('emb0.01', {'embed_std': 0.01}),
        ('constdecay', {'sched': 'const_decay', 'decay_frac': 0.3}),
        ('noclone', {'clone': False}),
    ]),
    group('b64c', 64, [
        ('learns-10k', {'steps': 10000}),
        ('twarp0.5-10k', {'steps': 10000, 'twarp': 0.5}),
        ('lr1e-3-10k', {'steps': 10000, 'lr': 1e-3}),
    ]),
    group('b128', 128, [
        ('b128-2500', {'steps': 2500}),
        ('b128-5000', {'steps': 5000}),
        ('b128-2500-lr3e-3', {'steps': 2500, 'lr': 3e-3}),
    ]),
    group('b256', 256, [
        ('b256-1250', {'steps': 1250}),
        ('b256-2500', {'steps': 2500}),
        ('b256-2500-lr4e-3', {'steps': 2500, 'lr': 4e-3, 'warmup': 200}),
    ]),
]}
json.dump(r1, open('plans/r1.json', 'w'), indent=1)

C = {'curr': 2000, 'curr0': 0.3}
r2 = {'groups': [
    group('g1', 64, [
        ('curr2k-c0.1', {**C, 'curr0': 0.1}),
        ('curr3k', {**C, 'curr': 3000}),
        ('curr1k', {**C, 'curr': 1000}),
        ('curr2k-lr1e-3', {**C, 'lr': 1e-3}),
        ('curr2k-constdecay', {**C, 'sched': 'const_decay', 'decay_frac': 0.3}),
        ('curr2k-twarp0.5', {**C, 'twarp': 0.5}),
    ], eval_every=250),
    group('g2', 64, [
        ('curr1.2k-3000', {'curr': 1200, 'curr0': 0.3, 'steps': 3000}),
        ('curr1.6k-4000', {'curr': 1600, 'curr0': 0.3, 'steps': 4000}),
    ], eval_every=250),
    group('g2s', 64, [('curr2k', C)], seeds=list(range(6, 12)), eval_every=250),
    group('g5', 64, [
        ('curr2k-4000', {'curr': 2000, 'curr0': 0.3, 'steps': 4000}),
        ('curr1.5k-c0.1-3500', {'curr': 1500, 'curr0': 0.1, 'steps': 3500}),
    ], eval_every=250),
    group('g3', 128, [
        ('curr1k-b128-2500', {'curr': 1000, 'curr0': 0.3, 'steps': 2500}),
        ('curr1.2k-b128-3000', {'curr': 1200, 'curr0': 0.3, 'steps': 3000}),
    ], eval_every=250),
]}
json.dump(r2, open('plans/r2.json', 'w'), indent=1)

S2 = list(range(12, 18))
r3 = {'groups': [
    group('h1', 64, [('curr1.2k-3000', {'curr': 1200, 'curr0': 0.3, 'steps': 3000}),
                     ('curr1.6k-4000', {'curr': 1600, 'curr0': 0.3, 'steps': 4000})], seeds=S2, eval_every=250),
    group('h2', 64, [('curr2k-twarp0.5', {**C, 'twarp': 0.5}), ('curr3k', {**C, 'curr': 3000})], seeds=S2, eval_every=250),
    group('h3', 128, [('curr1k-b128-2500', {'curr': 1000, 'curr0': 0.3, 'steps': 2500})], seeds=S2, eval_every=250),
]}
json.dump(r3, open('plans/r3.json', 'w'), indent=1)

WIN = {'curr': 2000, 'curr0': 0.3, 'twarp': 0.5, 'sched': 'const_decay', 'decay_frac': 0.3}
json.dump({'groups': [group('cpu-win', 64, [('curr2k-twarp0.5-constdecay', WIN)], seeds=[100, 101, 102], eval_every=500)]},
          open('plans/r4-cpu.json', 'w'), indent=1)
json.dump({'groups': [group('cpu-speed', 64, [('speed', {**WIN, 'steps': 40})], seeds=[100, 101, 102], eval_every=1000, eval_n=50)]},
          open('plans/speed.json', 'w'), indent=1)
json.dump({'groups': [group('cpu-win4k', 64, [('curr1.6k-twarp0.5-constdecay-4000', {**WIN, 'curr': 1600, 'steps': 4000})], seeds=[200, 201, 202], eval_every=500)]},
          open('plans/r5-cpu.json', 'w'), indent=1)
json.dump({'groups': [group('cpu-cd', 64, [('curr2k-constdecay', {'curr': 2000, 'curr0': 0.3, 'sched': 'const_decay', 'decay_frac': 0.3})], seeds=[300, 301, 302], eval_every=500)]},
          open('plans/r6-cpu.json', 'w'), indent=1)
