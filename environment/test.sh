#!/usr/bin/env bash
# The project's whole test run (CI: .ci/run; README's test command). In order:
#   1. environment/setup.sh --with-browser   (idempotent)
#   2. mvn -B package -DskipTests             (the library + target/classpath.txt)
#   3. kernel/install.sh --no-build           (the "seqcl (Java)" kernelspec, with the start-up race fix)
#   4. mvn -B verify                          (unit tests)
#   5. notebooks: every notebooks/**/*.ipynb executed headless at SEQCL_BUDGET=quick, outputs checked
#   6. browser: notebooks/00-quickstart.ipynb and one paper notebook (metasgcl/02) run from the menu in headless
#      Chromium, screenshots, no error output
#   7. kernel starts: kernel/check-starts.sh 20
# Prints "N passed, N failed" over checks 5-7 (Maven reports its own tests) and exits non-zero on any failure.
# SEQCL_SKIP_SETUP=1 skips step 1; MVN_ARGS adds Maven flags (e.g. -o).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export SEQCL_BUDGET="${SEQCL_BUDGET:-quick}"
# the real benchmark files sit in ../shared/data on the project's machines and in CI; elsewhere the notebooks
# fall back to the synthetic dataset
if [ -z "${SEQCL_DATA:-}" ] && [ -d "$ROOT/../shared/data" ]; then export SEQCL_DATA="$ROOT/../shared/data"; fi
T0=$(date +%s)
phase() { echo; echo "=== [$(( $(date +%s) - T0 ))s] $*"; }
took() { echo "=== $1 took $(( $(date +%s) - $2 ))s"; }

if [ "${SEQCL_SKIP_SETUP:-0}" != 1 ]; then
  phase "setup"; s=$(date +%s); environment/setup.sh --with-browser; took setup "$s"
fi
# OpenMP wait policy and memory allocator for every JVM below (after setup, which installs libjemalloc2)
. environment/runtime-env.sh
echo "libtorch process settings: allocator $SEQCL_ALLOCATOR, THP_MEM_ALLOC_ENABLE=$THP_MEM_ALLOC_ENABLE, OMP_WAIT_POLICY=$OMP_WAIT_POLICY"
phase "build: mvn -B package -DskipTests"; s=$(date +%s)
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} package -DskipTests; took build "$s"
phase "kernel: kernel/install.sh"; s=$(date +%s)
kernel/install.sh --no-build; took kernel "$s"
phase "unit tests: mvn -B verify"; s=$(date +%s)
# shellcheck disable=SC2086
mvn -B ${MVN_ARGS:-} verify; took "unit tests" "$s"

PASSED=0; FAILED=0; FAILED_NAMES=()
run_check() {
  local name="$1"; shift
  phase "check: $name"
  local s; s=$(date +%s)
  if "$@"; then PASSED=$((PASSED + 1)); echo "=== $name: passed ($(( $(date +%s) - s ))s)"
  else FAILED=$((FAILED + 1)); FAILED_NAMES+=("$name"); echo "=== $name: FAILED ($(( $(date +%s) - s ))s)"; fi
}
run_check "notebooks executed headless" environment/test-notebooks.sh
run_check "quickstart in headless Chromium" environment/browser-check.sh
run_check "paper notebook in headless Chromium" environment/browser-check.sh \
    notebooks/metasgcl/02-meta-vs-joint-fig3.ipynb target/screenshots/metasgcl-02.png
run_check "20 consecutive kernel starts" kernel/check-starts.sh 20

echo
echo "total $(( $(date +%s) - T0 ))s${FAILED_NAMES[*]:+; failed: ${FAILED_NAMES[*]}}"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
