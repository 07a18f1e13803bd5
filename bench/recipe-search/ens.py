"""Train many copies of the lesson's DiffusionLM at once, one per (recipe, seed).

The model is the reference's (156,304 parameters, PyTorch names and init, the
three encoder layers cloned at init like nn.TransformerEncoder), written with
every parameter stacked along a leading "model" axis M, so one process trains
M independent models, each with its own init seed, data stream and recipe:
lr schedule, AdamW betas / weight decay, dropout, t sampling, loss weighting,
embedding init std, time input.  Semantics follow src/core/training.ts:
pooled masked mean (or 1/t ELBO), clip_grad_norm_(1.0) per model, PyTorch's
AdamW (decoupled, bias-corrected), linear warm-up then cosine/linear/constant.

check_parity.py checks this forward against nn.TransformerEncoder and the
parity fixtures; sweep.py drives it.
"""
import math
import time

import torch
import torch.nn.functional as F

V, L, D, H, FF, NL = 16, 32, 64, 4, 256, 3
HD = D // H

# The exact best-possible accuracy (src/core/bayes.ts exactBestPossibleAccuracy).
BEST = {0.1: 0.999999968770283, 0.2: 0.9999959460464974, 0.3: 0.9999287734132066, 0.4: 0.9994417994762737,
        0.5: 0.9971558552645509, 0.6: 0.9887838831590539, 0.65: 0.9790564689184089, 0.7: 0.9619240167195088,
        0.75: 0.9320560073654763, 0.8: 0.8805395745462522, 0.85: 0.7935675037755926, 0.9: 0.6522382239497719}
EVAL_TS = [0.1, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9]
TARGET_TS = [t for t in EVAL_TS if t <= 0.8]


def spec():
    s = [('token_embed.weight', (V, D)), ('time_mlp.0.weight', (D, 1)), ('time_mlp.0.bias', (D,)),
         ('time_mlp.2.weight', (D, D)), ('time_mlp.2.bias', (D,))]
    for i in range(NL):
        p = f'transformer.layers.{i}.'
        s += [(p + 'self_attn.in_proj_weight', (3 * D, D)), (p + 'self_attn.in_proj_bias', (3 * D,)),
              (p + 'self_attn.out_proj.weight', (D, D)), (p + 'self_attn.out_proj.bias', (D,)),
              (p + 'linear1.weight', (FF, D)), (p + 'linear1.bias', (FF,)),
              (p + 'linear2.weight', (D, FF)), (p + 'linear2.bias', (D,)),
              (p + 'norm1.weight', (D,)), (p + 'norm1.bias', (D,)), (p + 'norm2.weight', (D,)), (p + 'norm2.bias', (D,))]
    s += [('output_head.weight', (V, D)), ('output_head.bias', (V,))]
    return s


SPEC = spec()
OFFSETS = {}
_o = 0
for _n, _s in SPEC:
    OFFSETS[_n] = (_o, _s)
    _o += math.prod(_s)
NPARAM = _o
assert NPARAM == 156304, NPARAM


def positions(max_len=512, d=D):
    pos = torch.arange(max_len).float().unsqueeze(1)
    freq = torch.exp(torch.arange(0, d, 2).float() * (-math.log(10000.0) / d))
    pe = torch.zeros(max_len, d)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * freq), torch.cos(pos * freq)
    return pe


def init_one(seed, embed_std=1.0, clone_layers=True):
    """PyTorch's default init for this model, flat [NPARAM]."""
    g = torch.Generator().manual_seed(seed)
    vals = {}

    def lin(name, out, inp, bias=True):
        b = 1 / math.sqrt(inp)
        vals[name + '.weight'] = (torch.rand(out, inp, generator=g) * 2 - 1) * b
        if bias:
            vals[name + '.bias'] = (torch.rand(out, generator=g) * 2 - 1) * b

    vals['token_embed.weight'] = torch.randn(V, D, generator=g) * embed_std
    lin('time_mlp.0', D, 1)
    lin('time_mlp.2', D, D)
    for i in range(NL):
        p = f'transformer.layers.{i}.'
        if i > 0 and clone_layers:
            for n, _ in SPEC:
                if n.startswith('transformer.layers.0.'):
                    vals[n.replace('layers.0.', f'layers.{i}.')] = vals[n].clone()
            continue
        bound = math.sqrt(6 / (D + 3 * D))
        vals[p + 'self_attn.in_proj_weight'] = (torch.rand(3 * D, D, generator=g) * 2 - 1) * bound
        vals[p + 'self_attn.in_proj_bias'] = torch.zeros(3 * D)
        vals[p + 'self_attn.out_proj.weight'] = (torch.rand(D, D, generator=g) * 2 - 1) / math.sqrt(D)
        vals[p + 'self_attn.out_proj.bias'] = torch.zeros(D)
        lin(p + 'linear1', FF, D)
        lin(p + 'linear2', D, FF)
        for k in ('norm1', 'norm2'):
            vals[p + k + '.weight'] = torch.ones(D)
            vals[p + k + '.bias'] = torch.zeros(D)
    lin('output_head', V, D)
    return torch.cat([vals[n].reshape(-1) for n, _ in SPEC])


INIT_SCALES = {  # cfg key -> parameters whose PyTorch init it multiplies
    'head_scale': ('output_head.weight', 'output_head.bias'),
    'time_scale': ('time_mlp.2.weight', 'time_mlp.2.bias'),
    'resid_scale': tuple(f'transformer.layers.{i}.{n}' for i in range(NL) for n in ('self_attn.out_proj.weight', 'linear2.weight')),
    'qk_scale': tuple(f'transformer.layers.{i}.self_attn.in_proj_weight' for i in range(NL)),  # rows 0..2D: q and k
}


def scale_init(flat, cfg):
    """Multiply parts of one model's init (flat [NPARAM]) by cfg's INIT_SCALES factors (default 1)."""
    flat = flat.clone()
    for key, names in INIT_SCALES.items():
        f = cfg.get(key, 1.0)
        if f == 1.0:
            continue
        for n in names:
            o, shp = OFFSETS[n]
            size = math.prod(shp) if key != 'qk_scale' else 2 * D * D
            flat[o:o + size] *= f
    return flat


def views(flat):
    M = flat.shape[0]
    return {n: flat[:, o:o + math.prod(s)].reshape(M, *s) for n, (o, s) in OFFSETS.items()}


def _dropout(x, p, gen):
    """Per-model dropout; p is a [M] tensor (or None for none)."""
    if p is None:
        return x
    shape = (x.shape[0],) + (1,) * (x.dim() - 1)
    keep = (1 - p).view(shape)
    return x * (torch.rand(x.shape, device=x.device, generator=gen) < keep) / keep


def _lin(x, w, b):
    # x [M, ..., in], w [M, out, in], b [M, out]
    M = x.shape[0]
    shp = x.shape
    y = torch.baddbmm(b.unsqueeze(1), x.reshape(M, -1, shp[-1]), w.transpose(1, 2))
    return y.reshape(*shp[:-1], w.shape[1])


def _ln(x, w, b):
    shape = (x.shape[0],) + (1,) * (x.dim() - 2) + (x.shape[-1],)
    return F.layer_norm(x, (x.shape[-1],), eps=1e-5) * w.view(shape) + b.view(shape)


def forward(W, xt, t, pe, drop=None, gen=None):
    """W: views; xt [M,B,L] long; t [M,B] float; drop: [M] tensor or None. Returns logits [M,B,L,V]."""
    M, B, Ln = xt.shape
    E = W['token_embed.weight']
    idx = xt + (torch.arange(M, device=xt.device) * V).view(M, 1, 1)
    h = E.reshape(M * V, D)[idx] + pe[:Ln]
    a = t.unsqueeze(-1) * W['time_mlp.0.weight'][:, None, :, 0] + W['time_mlp.0.bias'][:, None, :]
    temb = _lin(F.silu(a), W['time_mlp.2.weight'], W['time_mlp.2.bias'])  # [M,B,D]
    h = h + temb.unsqueeze(2)
    for i in range(NL):
        p = f'transformer.layers.{i}.'
        x = _ln(h, W[p + 'norm1.weight'], W[p + 'norm1.bias'])
        qkv = _lin(x, W[p + 'self_attn.in_proj_weight'], W[p + 'self_attn.in_proj_bias'])
        qkv = qkv.view(M, B, Ln, 3, H, HD).permute(3, 0, 1, 4, 2, 5)  # [3,M,B,H,L,HD]
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(HD), dim=-1)
        att = _dropout(att, drop, gen)
        o = (att @ v).permute(0, 1, 3, 2, 4).reshape(M, B, Ln, D)
        o = _lin(o, W[p + 'self_attn.out_proj.weight'], W[p + 'self_attn.out_proj.bias'])
        h = h + _dropout(o, drop, gen)
        x = _ln(h, W[p + 'norm2.weight'], W[p + 'norm2.bias'])
        f = _dropout(F.relu(_lin(x, W[p + 'linear1.weight'], W[p + 'linear1.bias'])), drop, gen)
        f = _lin(f, W[p + 'linear2.weight'], W[p + 'linear2.bias'])
        h = h + _dropout(f, drop, gen)
    return _lin(h, W['output_head.weight'], W['output_head.bias'])


def gen_x0(n, gen, device, shape_prefix=()):
    shp = tuple(shape_prefix) + (n,)
    period = torch.randint(2, 5, shp, generator=gen, device=device)
    pattern = torch.randint(1, 16, shp + (4,), generator=gen, device=device)
    idx = torch.arange(L, device=device) % period.unsqueeze(-1)
    return pattern.gather(-1, idx)


def lr_table(r, total, device):
    """[total] lr per optimizer step, src/core/optim.ts learningRate (plus 'const_decay')."""
    lr, wu, kind, mn = r['lr'], r['warmup'], r['sched'], r.get('min_lr', 0.0)
    out = []
    for s in range(total):
        if s < wu:
            out.append(lr * (s + 1) / wu)
            continue
        span = max(1, total - wu)
        pr = min(1.0, (s - wu) / span)
        if kind == 'constant':
            out.append(lr)
        elif kind == 'linear':
            out.append(mn + (lr - mn) * (1 - pr))
        elif kind == 'cosine':
            out.append(mn + (lr - mn) * (1 + math.cos(math.pi * pr)) / 2)
        elif kind == 'const_decay':  # constant, then cosine to min over the last `decay_frac`
            f = r.get('decay_frac', 0.3)
            q = max(0.0, (pr - (1 - f)) / f)
            out.append(mn + (lr - mn) * (1 + math.cos(math.pi * q)) / 2)
        elif kind == 'const_linear':  # constant, then linear to min over the last `decay_frac`
            f = r.get('decay_frac', 0.3)
            q = max(0.0, (pr - (1 - f)) / f)
            out.append(mn + (lr - mn) * (1 - q))
        else:
            raise ValueError(kind)
    return torch.tensor(out, device=device)


DEFAULT = dict(lr=2e-3, warmup=100, sched='cosine', min_lr=0.0, beta1=0.9, beta2=0.999, eps=1e-8, wd=0.01,
               clip=1.0, dropout=0.0, tmin=0.02, tmax=1.0, strat=False, twarp=1.0, tmix=0.0, tmix_lo=0.5,
               curr=0, curr0=0.3, loss='masked-mean', embed_std=0.03, ignore_time=False, clone=True, steps=5000)
LEARNS = dict(DEFAULT)


def sample_t(cfgs, B, step, gen, device):
    """t [M,B]: u (i.i.d. or stratified), warped u**twarp, mixed with U(tmix_lo, tmax)
    with prob tmix, curriculum tmax ramp over `curr` steps from curr0."""
    M = len(cfgs)
    u = torch.rand(M, B, generator=gen, device=device)
    off = torch.rand(M, 1, generator=gen, device=device)
    strat = torch.tensor([c['strat'] for c in cfgs], device=device).view(M, 1)
    u = torch.where(strat, (torch.arange(B, device=device).view(1, B) + off) / B, u)
    tw = torch.tensor([c['twarp'] for c in cfgs], device=device).view(M, 1)
    u = u ** tw
    tmin = torch.tensor([c['tmin'] for c in cfgs], device=device).view(M, 1)
    tmax = []
    for c in cfgs:
        hi = c['tmax']
        if c['curr'] > 0:
            hi = c['tmin'] + (c['tmax'] - c['tmin']) * min(1.0, c['curr0'] + (1 - c['curr0']) * step / c['curr'])
        tmax.append(hi)
    tmax = torch.tensor(tmax, device=device).view(M, 1)
    t = tmin + (tmax - tmin) * u
    mix = torch.tensor([c['tmix'] for c in cfgs], device=device).view(M, 1)
    lo = torch.tensor([c['tmix_lo'] for c in cfgs], device=device).view(M, 1)
    hi_t = lo + (tmax - lo) * torch.rand(M, B, generator=gen, device=device)
    t = torch.where(torch.rand(M, B, generator=gen, device=device) < mix, hi_t, t)
    return t


def make_eval(device, n=500, seed=1234):
    g = torch.Generator(device='cpu').manual_seed(seed)
    out = []
    for t in EVAL_TS:
        x0 = gen_x0(n, g, 'cpu')
        mask = torch.rand(n, L, generator=g) < t
        out.append((t, x0.to(device), mask.to(device)))
    return out


def bayes_expected(x0, mask):
    """Exact Bayes posterior (src/core/bayes.ts) on a batch: mean over masked tokens of max posterior."""
    n = x0.shape[0]
    xt = x0.masked_fill(mask, 0)
    R = 15
    logw, probs_p = [], []
    for p in (2, 3, 4):
        res = torch.arange(L, device=x0.device) % p
        oh = F.one_hot(xt, V).float()  # [n,L,V]
        oh[..., 0] = 0
        cnt = torch.zeros(n, p, V, device=x0.device).index_add_(1, res, oh)  # per residue token counts
        distinct = (cnt > 0).sum(-1)  # [n,p]
        consistent = (distinct <= 1).all(-1)
        pinned = (distinct == 1).sum(-1)
        lw = math.log(1 / 3) - pinned * math.log(R)
        logw.append(torch.where(consistent, lw.double(), torch.tensor(-math.inf, device=x0.device, dtype=torch.float64)))
        pin_tok = cnt.argmax(-1)  # [n,p]
        pos_pin = pin_tok[:, res]  # [n,L]
        pos_has = (distinct[:, res] == 1)
        pp = torch.full((n, L, V), 1 / R, device=x0.device, dtype=torch.float64)
        pp[..., 0] = 0
        pinned_dist = F.one_hot(pos_pin, V).double()
        pp = torch.where(pos_has.unsqueeze(-1), pinned_dist, pp)
        probs_p.append(pp)
    w = torch.softmax(torch.stack(logw, -1), -1)  # [n,3]
    probs = sum(w[:, k, None, None] * probs_p[k] for k in range(3))
    mx = probs.max(-1).values
    return (mx * mask).sum().item() / mask.sum().item()


@torch.no_grad()
def evaluate(flat, evalset, pe, chunk=500):
    W = views(flat)
    M = flat.shape[0]
    res = {}
    for t, x0, mask in evalset:
        correct = torch.zeros(M, device=flat.device)
        tot = 0
        for s in range(0, x0.shape[0], chunk):
            xb, mb = x0[s:s + chunk], mask[s:s + chunk]
            xt = xb.masked_fill(mb, 0).unsqueeze(0).expand(M, -1, -1)
            tt = torch.full(xt.shape[:2], t, device=flat.device)
            pred = forward(W, xt, tt, pe).argmax(-1)
            correct += ((pred == xb.unsqueeze(0)) & mb.unsqueeze(0)).sum((1, 2)).float()
            tot += mb.sum().item()
        res[t] = (correct / tot).tolist()
    return res


@torch.no_grad()
def adamw_step(flat, grad, m1, m2, k, lr, b1, b2, eps, wd, clip):
    """PyTorch clip_grad_norm_ + AdamW on [M, P] (per-model norm, lr, betas). Returns grad norms."""
    gn = grad.norm(dim=1, keepdim=True)
    coef = torch.clamp(clip / (gn + 1e-6), max=1.0)
    g = grad * coef
    m1.mul_(b1).add_((1 - b1) * g)
    m2.mul_(b2).add_((1 - b2) * g * g)
    bc1 = 1 - b1 ** k
    bc2s = torch.sqrt(1 - b2 ** k)
    flat.mul_(1 - lr * wd)
    flat.sub_(lr / bc1 * m1 / (m2.sqrt() / bc2s + eps))
    return gn


def train_group(cfgs, seeds, batch, evalset, eval_every, device, log=print, data_seed=0, bayes_set=None, eval_steps=None,
                checkup_evalset=None, ema_decays=()):
    """Train len(cfgs) models together; cfgs share batch size. Returns per-model histories.

    checkup_evalset: a smaller set for checkpoints before the last (None: evalset everywhere).
    ema_decays: also keep an exponential moving average of the weights per decay d (with the
    usual warm-up, d_k = min(d, (1 + k) / (10 + k)), so early averages are not dominated by
    the init); each is evaluated at every checkpoint and logged with tag 'ema<d>'. The
    averages never feed back into training, so one run measures them all."""
    M = len(cfgs)
    cfgs = [{**DEFAULT, **c} for c in cfgs]
    total = max(c['steps'] for c in cfgs)
    flat = torch.stack([scale_init(init_one(s, c['embed_std'], c['clone']), c) for s, c in zip(seeds, cfgs)]).to(device)
    flat.requires_grad_(True)
    m1 = torch.zeros_like(flat)
    m2 = torch.zeros_like(flat)
    emas = {d: flat.detach().clone() for d in ema_decays}
    pe = positions().to(device)
    lrs = torch.stack([lr_table(c, c['steps'], device) for c in cfgs], 1) if all(c['steps'] == total for c in cfgs) else \
        torch.stack([torch.cat([lr_table(c, c['steps'], device), torch.zeros(total - c['steps'], device=device)]) for c in cfgs], 1)
    col = lambda k: torch.tensor([float(c[k]) for c in cfgs], device=device).view(M, 1)
    b1, b2, eps, wd, clip = col('beta1'), col('beta2'), col('eps'), col('wd'), col('clip')
    dropv = col('dropout').view(M)
    drop = dropv if (dropv > 0).any() else None
    elbo = torch.tensor([c['loss'] == 'elbo' for c in cfgs], device=device).view(M, 1, 1)
    ign = torch.tensor([c['ignore_time'] for c in cfgs], device=device).view(M, 1)
    gen = torch.Generator(device=device).manual_seed(data_seed)
    hist = [[] for _ in range(M)]
    t0 = time.time()
    losses = torch.zeros(M, device=device)
    for step in range(total):
        x0 = gen_x0(batch, gen, device, (M,))  # [M,B,L]
        t = sample_t(cfgs, batch, step, gen, device)  # [M,B]
        mask = torch.rand(M, batch, L, generator=gen, device=device) < t.unsqueeze(-1)
        xt = x0.masked_fill(mask, 0)
        W = views(flat)
        logits = forward(W, xt, torch.where(ign, torch.zeros_like(t), t), pe, drop, gen)
        ce = F.cross_entropy(logits.reshape(-1, V), x0.reshape(-1), reduction='none').view(M, batch, L)
        mf = mask.float()
        cnt = mf.sum((1, 2), keepdim=True).clamp(min=1)
        w = torch.where(elbo, mf / (t.unsqueeze(-1) * batch * L), mf / cnt)
        loss_m = (ce * w).sum((1, 2))
        grad, = torch.autograd.grad(loss_m.sum(), flat)
        with torch.no_grad():
            losses += loss_m.detach()
            adamw_step(flat, grad, m1, m2, step + 1, lrs[step].view(M, 1), b1, b2, eps, wd, clip)
            for d, avg in emas.items():
                avg.lerp_(flat, 1 - min(d, (2 + step) / (11 + step)))
        if step + 1 == 200:
            if device != 'cpu':
                torch.cuda.synchronize()
            print(f'[{M} models, batch {batch}] 200 steps in {time.time() - t0:.1f}s', flush=True)
        due = (step + 1) in eval_steps if eval_steps is not None else (step + 1) % eval_every == 0
        if due or step + 1 == total:
            ev = evaluate(flat.detach(), evalset if checkup_evalset is None or step + 1 == total else checkup_evalset, pe)
            el = time.time() - t0
            ml = (losses / eval_every).tolist()
            losses.zero_()
            for i in range(M):
                hist[i].append({'step': step + 1, 'loss': ml[i], 'acc': {str(t): ev[t][i] for t in ev}, 'wall': el})
            log(step + 1, el, ev)
            for d, avg in emas.items():
                log(step + 1, el, evaluate(avg, evalset if checkup_evalset is None or step + 1 == total else checkup_evalset, pe), tag=f'ema{d}')
    return hist, flat.detach().cpu()
