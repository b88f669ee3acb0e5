#!/usr/bin/python3
"""The SASRec training step of `seqcl bench`, written in PyTorch, for a side-by-side timing.

Same shapes and architecture as io.seqcl.model.SASRec with its defaults: batch 256, length 50, d 64,
12,102 item rows, 2 post-LN blocks, 2 heads, inner 256, GELU, dropout 0.5, full-softmax cross-entropy on the
last position (padding row excluded), Adam 1e-3. Prints ms/step and which BLAS the torch build uses.
Uses Debian's python3-torch (no PyPI here).
"""
import argparse
import math
import os
import re
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads, inner, p):
        super().__init__()
        self.h, self.dh, self.p = heads, d // heads, p
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(d, eps=1e-12), nn.LayerNorm(d, eps=1e-12)
        self.ff1, self.ff2 = nn.Linear(d, inner), nn.Linear(inner, d)

    def forward(self, x, mask):
        b, t, d = x.shape
        split = lambda y: y.view(b, t, self.h, self.dh).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.dh) + mask, -1)
        a = F.dropout(a, self.p, self.training)
        c = (a @ v).transpose(1, 2).reshape(b, t, d)
        x = self.ln1(F.dropout(self.o(c), self.p, self.training) + x)
        f = F.dropout(self.ff2(F.gelu(self.ff1(x))), self.p, self.training)
        return self.ln2(f + x)


class SASRec(nn.Module):
    def __init__(self, n_rows, t, d, layers=2, heads=2, p=0.5):
        super().__init__()
        self.item = nn.Embedding(n_rows, d)
        self.pos = nn.Embedding(t, d)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        self.blocks = nn.ModuleList(Block(d, heads, 4 * d, p) for _ in range(layers))
        self.p = p
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0, 0.02)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, items):
        b, t = items.shape
        x = self.item(items) + self.pos.weight[:t]
        x = F.dropout(self.ln(x), self.p, self.training)
        causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
        allowed = (items != 0)[:, None, None, :] & causal[None, None]
        mask = (~allowed).float() * -10000.0
        for blk in self.blocks:
            x = blk(x, mask)
        return x


def blas_info():
    """Build-time BLAS plus the BLAS library actually mapped into this process (Debian's torch links the
    libblas.so.3 alternative: reference BLAS unless e.g. libopenblas0-pthread is installed)."""
    cfg = torch.__config__.show()
    m = re.search(r"BLAS_INFO=(\w+)", cfg)
    built = m.group(1) if m else "unknown"
    torch.ones(64, 64) @ torch.ones(64, 64)
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if re.search(r"(blas|mkl|blis)[^/]*\.so", path):
                libs.add(os.path.realpath(path))
    return f"{built} (runtime: {', '.join(sorted(libs)) or 'none found'}){openblas_threads(libs)}"


def openblas_threads(libs):
    """OpenBLAS keeps its own thread pool, which torch.set_num_threads does not size: report what it uses."""
    import ctypes
    for lib in sorted(libs):
        if "openblas" in lib:
            try:
                return f", OpenBLAS threads {ctypes.CDLL(lib).openblas_get_num_threads()}"
            except (OSError, AttributeError):
                return ""
    return ""


def step_flops(b, t, d, n_rows, layers=2, heads=2, inner=None):
    """Multiply-add FLOPs (2 per MAC) of one training step: forward of the per-token projections and
    feed-forward, attention products, last-position scores, times 3 for forward + backward. The same formula
    is printed by `seqcl bench`."""
    inner = inner or 4 * d
    tokens = b * t
    per_token = 2 * (4 * d * d + 2 * d * inner)
    attention = 2 * 2 * b * t * t * d
    scores = 2 * b * d * n_rows
    return 3 * (layers * (tokens * per_token + attention) + scores)


def matmul_rate(b, t, d, n_rows, inner, reps=5):
    """GFLOP/s of plain float32 matrix products with the step's shapes (projections, feed-forward, scores)."""
    shapes = [(b * t, d, d)] * 4 + [(b * t, d, inner), (b * t, inner, d), (b, d, n_rows)]
    mats = [(torch.randn(m, k), torch.randn(k, n)) for m, k, n in shapes]
    flops = sum(2 * m * k * n for m, k, n in shapes)
    for x, y in mats:
        x @ y
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        for x, y in mats:
            x @ y
        best = min(best, time.perf_counter() - t0)
    return flops / best / 1e9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: torch's default)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--len", type=int, default=50)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--items", type=int, default=12101)
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(7)
    n_rows = a.items + 1
    model = SASRec(n_rows, a.len, a.dim)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    items = torch.randint(1, n_rows, (a.batch, a.len))
    target = torch.randint(1, n_rows, (a.batch,))
    pad_mask = torch.zeros(n_rows)
    pad_mask[0] = float("-inf")
    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        h = model(items)[:, -1]
        logits = h @ model.item.weight.t() + pad_mask
        loss = F.cross_entropy(logits, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    median = times[len(times) // 2]
    flops = step_flops(a.batch, a.len, a.dim, n_rows)
    print(f"torch {torch.__version__}, BLAS {blas_info()}, {torch.get_num_threads()} threads")
    print(f"PyTorch SASRec train step (B={a.batch}, T={a.len}, d={a.dim}, N={n_rows}, CE last position): "
          f"median {median:.1f} ms/step, min {times[0]:.1f}, max {times[-1]:.1f} "
          f"over {a.steps} steps")
    print(f"PyTorch step {flops / 1e9:.2f} GFLOP: {flops / median / 1e6:.1f} GFLOP/s achieved; plain float32 "
          f"matmul of the step's shapes {matmul_rate(a.batch, a.len, a.dim, n_rows, 4 * a.dim):.1f} GFLOP/s "
          f"({torch.get_num_threads()} threads)")


if __name__ == "__main__":
    main()
