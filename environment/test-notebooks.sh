#!/usr/bin/env bash
# Executes every notebook under notebooks/ (recursively) headless on the installed "seqcl (Java)" kernel at the
# quick budget, writes the executed copies under target/notebooks/ (the source tree is never modified), fails if
# any cell errors, then checks the executed outputs (environment/check_notebooks.py: HTML tables and PNG images).
#   environment/test-notebooks.sh [NOTEBOOK...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export SEQCL_BUDGET="${SEQCL_BUDGET:-quick}"
TIMEOUT="${SEQCL_CELL_TIMEOUT:-1500}"
if [ $# -gt 0 ]; then NBS=("$@"); else mapfile -t NBS < <(find notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' -not -name '*.nbconvert.ipynb' | sort); fi
[ ${#NBS[@]} -gt 0 ] || { echo "[notebooks] no notebook found under notebooks/"; exit 1; }
# Notebooks run SEQCL_NOTEBOOK_JOBS at a time (default 2, one per core); with more than one job each kernel's
# libtorch gets one thread (OMP_NUM_THREADS=1) unless OMP_NUM_THREADS is set.
JOBS="${SEQCL_NOTEBOOK_JOBS:-2}"
if [ "$JOBS" -gt 1 ]; then export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"; fi
run_one() {
  local nb="$1" rel outdir start log
  rel="${nb#notebooks/}"
  outdir="target/notebooks/$(dirname "$rel")"
  mkdir -p "$outdir"
  log="$outdir/$(basename "$nb" .ipynb).log"
  echo "[notebooks] executing $nb (SEQCL_BUDGET=$SEQCL_BUDGET, cell timeout ${TIMEOUT}s)"
  start=$(date +%s)
  # the kernel's own log lines go to stderr: keep them in a file next to the executed copy
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout="$TIMEOUT" \
       --output-dir "$outdir" "$nb" >"$log" 2>&1; then
    echo "[notebooks] $nb executed in $(( $(date +%s) - start )) s"
    return 0
  fi
  echo "[notebooks] FAIL $nb: a cell raised an error or timed out after $(( $(date +%s) - start )) s:"
  grep -v '^\[20' "$log" | grep -v 'classpath' | tail -25
  return 1
}
FAILED=0
OUT=()
STATUS="$(mktemp -d)"
trap 'rm -rf "$STATUS"' EXIT
i=0
for nb in "${NBS[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  ( if run_one "$nb"; then echo ok >"$STATUS/$i"; else echo fail >"$STATUS/$i"; fi ) &
  i=$((i + 1))
done
wait
i=0
for nb in "${NBS[@]}"; do
  if [ "$(cat "$STATUS/$i" 2>/dev/null)" = ok ]; then
    OUT+=("target/notebooks/$(dirname "${nb#notebooks/}")/$(basename "$nb")")
  else
    FAILED=$((FAILED + 1))
  fi
  i=$((i + 1))
done
if [ ${#OUT[@]} -gt 0 ]; then
  /usr/bin/python3 "$ROOT/environment/check_notebooks.py" "${OUT[@]}" || FAILED=$((FAILED + 1))
fi
[ "$FAILED" = 0 ]
