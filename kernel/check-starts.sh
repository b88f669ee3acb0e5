#!/usr/bin/env bash
# Proves the kernel starts reliably: N (default 20) consecutive headless starts of the installed "seqcl (Java)"
# kernelspec, each waiting for kernel_info_reply and running `1+1`. Exits non-zero if any start fails.
#   kernel/check-starts.sh [N] [--no-fix] [--load K] [--timeout S] [--kernel NAME] [--log-dir DIR]
# --no-fix measures the rapaio start-up race without kernel/patch; --load K adds K busy processes.
set -euo pipefail
PY="${SEQCL_PYTHON:-}"
if [ -z "$PY" ]; then
  for c in /usr/bin/python3 python3; do
    if "$c" -c 'import jupyter_client' >/dev/null 2>&1; then PY="$c"; break; fi
  done
fi
[ -n "$PY" ] || { echo "check-starts: no python3 with jupyter_client; run environment/setup.sh" >&2; exit 1; }
exec "$PY" "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check_starts.py" "$@"
