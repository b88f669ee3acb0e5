#!/usr/bin/env bash
# The performance issue's speed targets in one sitting: `seqcl bench-epoch --layouts both` (packed and padded
# alternating on the same batches) for SASRec, MCLRec and ContrastVAE on Beauty and Meta-SGCL on Toys, at each
# libtorch thread count given, Meta-SGCL also at 1 thread with 2 wide threads for its large cross-entropy products
# (io.seqcl.nn.WideThreads), every model also in 2 shards at 1 thread each (train.shards, io.seqcl.optim.ShardedStep:
# the fastest setting for one job alone), then `seqcl bench` (padded step GFLOP/s, full evaluation passes) at each.
# README "Where the targets stand" was made with it. Needs $SEQCL_DATA with amazon-beauty and amazon-toys.
# Run it with nothing else on the machine; it prints the load average before each command.
# Usage: environment/bench/targets.sh [--threads "1 2"]     (about 10 minutes on 2 idle cores)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
threads="1 2"
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    *) echo "usage: $0 [--threads \"1 2\"]" >&2; exit 2 ;;
  esac
done
seqcl="$here/../seqcl"
run() {
  echo "== seqcl $* ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
  "$seqcl" "$@" 2>&1 | grep -v AutoNonVariableTypeMode
}
echo "== $(nproc) cores, commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
for k in $threads; do
  run bench-epoch --model sasrec --dataset beauty --layouts both --threads "$k" --steps 20 --rounds 2 --eval 1
  run bench-epoch --model mclrec --dataset beauty --layouts both --threads "$k" --steps 6 --rounds 1
  run bench-epoch --model metasgcl --dataset toys --layouts both --threads "$k" --steps 6 --rounds 1
  run bench-epoch --model contrastvae --dataset beauty --layouts both --threads "$k" --steps 6 --rounds 1
  run bench-epoch --model contrastvae --dataset beauty --layouts both --threads "$k" --steps 6 --rounds 1 --over-padding 0
done
run bench-epoch --model metasgcl --dataset toys --layouts both --threads 1 --wide-threads 2 --steps 6 --rounds 1
# one job alone on 2 cores: every model packed at 1 thread, in one range and in two (train.shards=2), alternating
run bench-epoch --model sasrec --dataset beauty --layouts packed --threads 1 --shards 2 --steps 20 --rounds 2
run bench-epoch --model cl4srec --dataset beauty --layouts packed --threads 1 --shards 2 --steps 10 --rounds 2
run bench-epoch --model duorec --dataset beauty --layouts packed --threads 1 --shards 2 --steps 10 --rounds 2
run bench-epoch --model mclrec --dataset beauty --layouts packed --threads 1 --shards 2 --steps 6 --rounds 2
run bench-epoch --model metasgcl --dataset toys --layouts packed --threads 1 --shards 2 --steps 6 --rounds 2
run bench-epoch --model contrastvae --dataset beauty --layouts packed --threads 1 --shards 2 --steps 6 --rounds 2 --over-padding 0
for k in $threads; do
  run bench --threads "$k" --steps 10
done
