#!/usr/bin/env bash
# Starts the classic notebook server on 127.0.0.1 (random free port, random token), opens a copy of a notebook
# (default notebooks/00-quickstart.ipynb) in headless Chromium, runs all cells from the menu, checks the page and
# saves a screenshot (default target/screenshots/quickstart.png), then stops the server.
#   environment/browser-check.sh [NOTEBOOK] [SCREENSHOT]
# The notebook is copied to target/browser-check/ first, so the UI's autosave never touches the source tree.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NB="${1:-$ROOT/notebooks/00-quickstart.ipynb}"
SHOT="${2:-$ROOT/target/screenshots/quickstart.png}"
BC="$ROOT/environment/browser-check"
say() { echo "[browser-check] $*"; }
[ -f "$BC/node_modules/playwright-core/package.json" ] || { say "playwright-core missing: run environment/setup.sh --with-browser"; exit 1; }
[ -x "${SEQCL_CHROMIUM:-/usr/bin/chromium}" ] || { say "chromium missing: run environment/setup.sh --with-browser"; exit 1; }

WORK="$ROOT/target/browser-check"
rm -rf "$WORK"
mkdir -p "$WORK"
cp "$NB" "$WORK/"
NAME="$(basename "$NB")"
PORT="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
TOKEN="$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')"
LOG="$WORK/server.log"
ALLOW_ROOT=()
if [ "$(id -u)" = 0 ]; then ALLOW_ROOT=(--allow-root); fi  # CI and containers run as root
export SEQCL_BUDGET="${SEQCL_BUDGET:-quick}"
say "starting jupyter notebook on 127.0.0.1:$PORT (log $LOG, budget $SEQCL_BUDGET)"
jupyter notebook --no-browser --ip=127.0.0.1 --port="$PORT" --port-retries=0 \
    --NotebookApp.token="$TOKEN" --NotebookApp.password='' --notebook-dir="$WORK" \
    --NotebookApp.open_browser=False "${ALLOW_ROOT[@]}" >"$LOG" 2>&1 &
SERVER=$!
stop_server() {
  if kill -0 "$SERVER" 2>/dev/null; then
    # ask the server to shut down (it stops its kernels), then make sure it is gone
    curl -s -X POST -H "Authorization: token $TOKEN" "http://127.0.0.1:$PORT/api/shutdown" >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.5; done
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
}
trap stop_server EXIT
for i in $(seq 1 60); do
  if curl -sf -H "Authorization: token $TOKEN" "http://127.0.0.1:$PORT/api/status" >/dev/null 2>&1; then break; fi
  kill -0 "$SERVER" 2>/dev/null || { say "server died:"; tail -20 "$LOG"; exit 1; }
  sleep 1
  [ "$i" = 60 ] && { say "server did not answer within 60 s"; tail -20 "$LOG"; exit 1; }
done
say "server up"
# the browser runs without the launchers' allocator settings (environment/runtime-env.sh, which test.sh sources):
# jemalloc's background threads would start in Chromium's zygote, which must stay single-threaded, and the browser
# closes at once ("Target page, context or browser has been closed"); the kernel gets them from its kernelspec
env -u LD_PRELOAD -u MALLOC_CONF node "$BC/check.mjs" "http://127.0.0.1:$PORT" "$TOKEN" "$NAME" "$SHOT" "${SEQCL_BROWSER_TIMEOUT:-1500}"
