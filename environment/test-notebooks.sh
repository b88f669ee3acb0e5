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
OUT=()
FAILED=0
for nb in "${NBS[@]}"; do
  rel="${nb#notebooks/}"
  outdir="target/notebooks/$(dirname "$rel")"
  mkdir -p "$outdir"
  echo "[notebooks] executing $nb (SEQCL_BUDGET=$SEQCL_BUDGET, cell timeout ${TIMEOUT}s)"
  start=$(date +%s)
  # the kernel's own log lines go to stderr: keep them in a file next to the executed copy
  if jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout="$TIMEOUT" \
       --output-dir "$outdir" "$nb" >"$outdir/$(basename "$nb" .ipynb).log" 2>&1; then
    echo "[notebooks] $nb executed in $(( $(date +%s) - start )) s"
    OUT+=("$outdir/$(basename "$nb")")
  else
    echo "[notebooks] FAIL $nb: a cell raised an error or timed out after $(( $(date +%s) - start )) s:"
    grep -v '^\[20' "$outdir/$(basename "$nb" .ipynb).log" | grep -v 'classpath' | tail -25
    FAILED=$((FAILED + 1))
  fi
done
if [ ${#OUT[@]} -gt 0 ]; then
  /usr/bin/python3 "$ROOT/environment/check_notebooks.py" "${OUT[@]}" || FAILED=$((FAILED + 1))
fi
[ "$FAILED" = 0 ]
