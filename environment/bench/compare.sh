#!/usr/bin/env bash
# Times the same SASRec training step in seqcl (DJL + libtorch) and in PyTorch (Debian's python3-torch, if
# installed) in one script, and prints both with their ratio. Usage: environment/bench/compare.sh [--steps N]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
steps="${1:-}"; [ "$steps" = "--steps" ] && steps="$2" || steps=20
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
java_out="$("$here/../seqcl" bench --steps "$steps" 2>&1 | grep -v AutoNonVariableTypeMode)"
echo "$java_out"
java_ms="$(echo "$java_out" | sed -n 's/.*train step.*median \([0-9.]*\) ms.*/\1/p')"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  py_out="$(/usr/bin/python3 "$here/sasrec_step_torch.py" --steps "$steps" 2>&1)"
  echo "$py_out"
  echo "$py_out" | grep -q openblas || echo "note: PyTorch runs on the reference BLAS; apt-get install libopenblas0-pthread for a fair comparison"
  py_ms="$(echo "$py_out" | sed -n 's/.*train step.*median \([0-9.]*\) ms.*/\1/p')"
  awk -v j="$java_ms" -v p="$py_ms" 'BEGIN { printf "ratio seqcl/PyTorch: %.2f (%.1f ms vs %.1f ms per step; < 1 means seqcl is faster)\n", j/p, j, p }'
else
  echo "PyTorch not installed (apt-get install python3-torch): only the seqcl number is shown"
fi
