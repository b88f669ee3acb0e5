"""Writes the small PyTorch checkpoint fixtures used by io.seqcl.checkpoint tests.

Our own code (not taken from RecBole): a tiny SASRec in RecBole's BERT-style post-LN form with RecBole's
parameter names, d=8, 2 layers, 2 heads, inner 16, GELU (erf), LayerNorm eps 1e-12, T=5, N=10 items plus the
DuoRec/MCLRec augmentation-mask row (item_embedding has N+2 rows). Weights are random (seed 7, std 0.3 so the
scores are far from ties). Run once with Debian's python3-torch (1.13):

    /usr/bin/python3 make_fixture.py   # in this directory

Outputs: tiny_sasrec.pth ({'state_dict': ..., 'note': ...} as RecBole's trainer saves it), tiny_sasrec.safetensors
(same tensors, written by hand: 8-byte little-endian header length, JSON header, raw little-endian float32),
tiny_sasrec_scores.tsv (history, then the N+1 scores of columns 0..N, right padding as RecBole), and strided.pth
(views with a storage offset and non-unit strides, plus a float64 and a float16 tensor).
"""
import json
import math
import struct

import torch

D, L, H, INNER, T, N = 8, 2, 2, 16, 5, 10
EPS = 1e-12
torch.manual_seed(7)


def rnd(*shape):
    return torch.randn(*shape) * 0.3


sd = {}
sd['item_embedding.weight'] = rnd(N + 2, D)
sd['item_embedding.weight'][0].zero_()
sd['position_embedding.weight'] = rnd(T, D)
for i in range(L):
    p = 'trm_encoder.layer.%d.' % i
    for lin in ('query', 'key', 'value', 'dense'):
        sd[p + 'multi_head_attention.%s.weight' % lin] = rnd(D, D)   # nn.Linear layout [out, in]
        sd[p + 'multi_head_attention.%s.bias' % lin] = rnd(D)
    sd[p + 'multi_head_attention.LayerNorm.weight'] = 1 + rnd(D)
    sd[p + 'multi_head_attention.LayerNorm.bias'] = rnd(D)
    sd[p + 'feed_forward.dense_1.weight'] = rnd(INNER, D)
    sd[p + 'feed_forward.dense_1.bias'] = rnd(INNER)
    sd[p + 'feed_forward.dense_2.weight'] = rnd(D, INNER)
    sd[p + 'feed_forward.dense_2.bias'] = rnd(D)
    sd[p + 'feed_forward.LayerNorm.weight'] = 1 + rnd(D)
    sd[p + 'feed_forward.LayerNorm.bias'] = rnd(D)
sd['LayerNorm.weight'] = 1 + rnd(D)
sd['LayerNorm.bias'] = rnd(D)


def ln(x, w, b):
    return torch.nn.functional.layer_norm(x, (D,), w, b, EPS)


def lin(x, name):
    return x @ sd[name + '.weight'].t() + sd[name + '.bias']


def gelu(x):
    return x * 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))


def scores(seqs):
    """Full-sort scores [B, N+1] (mask row excluded) at each row's last real position."""
    ids = torch.tensor([s + [0] * (T - len(s)) for s in seqs])
    x = sd['item_embedding.weight'][ids] + sd['position_embedding.weight'][torch.arange(T)]
    x = ln(x, sd['LayerNorm.weight'], sd['LayerNorm.bias'])
    keep = (ids > 0).float()[:, None, None, :] * torch.tril(torch.ones(T, T))[None, None]
    mask = (1.0 - keep) * -10000.0
    hd = D // H
    for i in range(L):
        p = 'trm_encoder.layer.%d.' % i
        a = p + 'multi_head_attention.'

        def heads(z):
            return z.view(len(seqs), T, H, hd).permute(0, 2, 1, 3)

        q, k, v = (heads(lin(x, a + n)) for n in ('query', 'key', 'value'))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1)
        ctx = (att @ v).permute(0, 2, 1, 3).reshape(len(seqs), T, D)
        x = ln(lin(ctx, a + 'dense') + x, sd[a + 'LayerNorm.weight'], sd[a + 'LayerNorm.bias'])
        f = p + 'feed_forward.'
        y = lin(gelu(lin(x, f + 'dense_1')), f + 'dense_2')
        x = ln(y + x, sd[f + 'LayerNorm.weight'], sd[f + 'LayerNorm.bias'])
    last = torch.stack([x[b, len(s) - 1] for b, s in enumerate(seqs)])
    return last @ sd['item_embedding.weight'][:N + 1].t()


histories = [[1, 2, 3], [4, 5, 6, 7, 8], [9], [2, 10, 3, 7]]
with torch.no_grad():
    out = scores(histories)
torch.save({'state_dict': sd, 'note': 'seqcl test fixture'}, 'tiny_sasrec.pth')

header, blobs, off = {'__metadata__': {'format': 'pt'}}, [], 0
for name, t in sd.items():
    raw = t.contiguous().numpy().astype('<f4').tobytes()
    header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [off, off + len(raw)]}
    blobs.append(raw)
    off += len(raw)
hj = json.dumps(header).encode('utf-8')
hj += b' ' * (-len(hj) % 8)
with open('tiny_sasrec.safetensors', 'wb') as f:
    f.write(struct.pack('<Q', len(hj)))
    f.write(hj)
    for raw in blobs:
        f.write(raw)

with open('tiny_sasrec_scores.tsv', 'w') as f:
    for s, row in zip(histories, out.tolist()):
        f.write(' '.join(map(str, s)) + '\t' + ' '.join(repr(v) for v in row) + '\n')

base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
torch.save({'transposed': base.t(), 'slice': base[1:3, 2:5], 'every_other': base[:, ::2],
            'double': torch.tensor([[1.5, -2.25]], dtype=torch.float64),
            'half': torch.tensor([0.5, -3.0, 1024.0], dtype=torch.float16),
            'scalar': torch.tensor(2.5)}, 'strided.pth')
print(out)
