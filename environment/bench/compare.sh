#!/usr/bin/env bash
# Times the same padded SASRec training step (B 256, T 50, d 64, 12,102 rows, CE on the last position) in
# seqcl (DJL 0.32.0 + libtorch 2.5.1) and in PyTorch (Debian's python3-torch, if installed) at equal thread
# counts: 1 and 2 intra-op threads for both (seqcl: `seqcl bench --threads K`, i.e. torch::set_num_threads through
# DJL's JniUtils; PyTorch: torch.set_num_threads(K) and OPENBLAS_NUM_THREADS=K, since OpenBLAS keeps its own
# pool). For each side it prints the step time, the achieved GFLOP/s of the step (same FLOP formula on both sides)
# and the rate of plain float32 matrix products of the step's shapes.
# Usage: environment/bench/compare.sh [--steps N] [--threads "1 2"]
# Other jobs on the machine change absolute times: compare ratios measured in one run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
steps=20
threads="1 2"
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "usage: $0 [--steps N] [--threads \"1 2\"]" >&2; exit 2 ;;
  esac
done
. "$here/../runtime-env.sh"  # OpenMP wait policy, memory allocator
have_torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other jobs may be running)"
for k in $threads; do
  echo "== $k thread(s) for both =="
  java_out="$("$here/../seqcl" bench --steps "$steps" --threads "$k" --eval 0 2>&1 | grep -v AutoNonVariableTypeMode)"
  echo "$java_out"
  java_ms="$(echo "$java_out" | sed -n 's/.*train step.*median \([0-9.]*\) ms.*/\1/p')"
  if [ "$have_torch" = 1 ]; then
    # OpenBLAS sizes its own pool from these (default: all cores), not from torch.set_num_threads
    py_out="$(OPENBLAS_NUM_THREADS="$k" OMP_NUM_THREADS="$k" /usr/bin/python3 "$here/sasrec_step_torch.py" --steps "$steps" --threads "$k" 2>&1)"
    echo "$py_out"
    echo "$py_out" | grep -q openblas || echo "note: PyTorch runs on the reference BLAS; apt-get install libopenblas0-pthread for a fair comparison"
    py_ms="$(echo "$py_out" | sed -n 's/.*train step.*median \([0-9.]*\) ms.*/\1/p')"
    awk -v j="$java_ms" -v p="$py_ms" -v k="$k" 'BEGIN { printf "ratio seqcl/PyTorch at %d thread(s): %.2f (%.1f ms vs %.1f ms per step; < 1 means seqcl is faster)\n", k, j/p, j, p }'
  else
    echo "PyTorch not installed (apt-get install python3-torch): only the seqcl numbers are shown"
  fi
done
