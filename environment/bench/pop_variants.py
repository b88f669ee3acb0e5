#!/usr/bin/env python3
"""Pop under the choices a paper may have made, counted independently of seqcl (numpy only).

Usage: python3 environment/bench/pop_variants.py $SEQCL_DATA/amazon-toys/Amazon_Toys_and_Games.txt

Reads a sequence file (one line per user: user item item ..., chronological), splits leave-one-out (test = last
item, valid = second last), and ranks each user's test item among all items 1..N by popularity for every
combination of:
  counts from   train (items before the valid one: seqcl's Pop), train+valid (the whole test input), all items;
  history       NONE (history items stay candidates) or NEG_INF (excluded, the target itself excepted);
  ties          pessimistic (seqcl: rank = 1 + #{j != target : s_j >= s_target}) or optimistic (1 + #{s_j > s}).
Prints HR@5, HR@10, NDCG@5, NDCG@10 of the test split. The row "train NEG_INF pess" is seqcl's Pop under the
Meta-SGCL protocol and must equal its recorded metrics.csv (a check of the evaluator from outside the library).
"""
import sys

import numpy as np


def main(path):
    seqs = [list(map(int, line.split()[1:])) for line in open(path) if line.strip()]
    n_items = max(max(s) for s in seqs)
    users = len(seqs)
    for ties in ("pess", "opt"):
        for counts_from in ("train", "train+valid", "all"):
            counts = np.zeros(n_items + 1)
            for s in seqs:
                part = s[:-2] if counts_from == "train" else s[:-1] if counts_from == "train+valid" else s
                np.add.at(counts, part, 1)
            counts[0] = -np.inf
            for history in ("NONE", "NEG_INF"):
                hr5 = hr10 = n5 = n10 = 0.0
                for s in seqs:
                    target = s[-1]
                    scores = counts
                    if history == "NEG_INF":
                        scores = counts.copy()
                        excluded = [h for h in set(s[:-1]) if h != target]
                        scores[excluded] = -np.inf
                    v = scores[target]
                    above = int(np.sum(scores > v))
                    rank0 = above + (int(np.sum(scores == v)) - 1 if ties == "pess" else 0)
                    if rank0 < 10:
                        gain = 1.0 / np.log2(rank0 + 2)
                        hr10 += 1
                        n10 += gain
                        if rank0 < 5:
                            hr5 += 1
                            n5 += gain
                print(f"{counts_from:12s} {history:8s} {ties:5s} HR@5 {hr5 / users:.4f} HR@10 {hr10 / users:.4f} "
                      f"NDCG@5 {n5 / users:.4f} NDCG@10 {n10 / users:.4f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
