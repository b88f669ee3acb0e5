#!/usr/bin/env bash
# Installs what seqcl needs on a fresh Debian 12 / Ubuntu 22.04+ machine; CI runs the same script.
#   environment/setup.sh [--with-browser]
# Idempotent: every step checks first and installs only what is missing (apt-get update runs only then).
#   - a JDK 17+ (javac and jshell; the notebook kernel runs JShell in-process): openjdk-17-jdk-headless if none
#   - Maven, fontconfig + DejaVu fonts (chart text is rendered off-screen by Java2D)
#   - libjemalloc2 (the memory allocator the launchers preload for libtorch: environment/runtime-env.sh)
#   - Jupyter from Debian packages: jupyter-notebook (classic 6.x), jupyter-nbconvert, python3-nbclient,
#     python3-jupyter-client, python3-ipykernel
#   - with --with-browser: chromium + chromium-driver (Debian), Node.js/npm, and playwright-core from npm into
#     environment/browser-check/node_modules (npm ci from the committed package-lock.json; no browser download)
# Other machines (macOS, no root, JupyterLab): see the README section "Notebooks".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BROWSER=0
for a in "$@"; do
  case "$a" in
    --with-browser) BROWSER=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
say() { echo "[setup] $*"; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
UPDATED=0
apt_install() {
  local missing=()
  for p in "$@"; do have_pkg "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  command -v apt-get >/dev/null || { echo "[setup] ERROR: no apt-get; install ${missing[*]} by hand" >&2; exit 1; }
  if [ "$UPDATED" = 0 ]; then $SUDO apt-get update -qq; UPDATED=1; fi
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# --- JDK
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}
JAVA_OK=0
if command -v java >/dev/null && command -v javac >/dev/null && command -v jshell >/dev/null; then
  M="$(java_major java)"
  if [ "${M:-0}" -ge 17 ]; then JAVA_OK=1; say "JDK $M present ($(readlink -f "$(command -v java)"))"; fi
fi
if [ "$JAVA_OK" = 0 ]; then
  apt_install openjdk-17-jdk-headless
fi

# --- build tools, fonts, Jupyter
command -v mvn >/dev/null && say "Maven present" || apt_install maven
apt_install fontconfig fonts-dejavu-core curl
# jemalloc: the launchers preload it for libtorch (environment/runtime-env.sh; 5-25 % faster training steps)
apt_install libjemalloc2
apt_install jupyter-notebook jupyter-nbconvert python3-nbclient python3-jupyter-client python3-ipykernel
/usr/bin/python3 -c 'import jupyter_client, nbclient, nbconvert, notebook' \
  || { echo "[setup] ERROR: Debian's python3 cannot import the Jupyter packages" >&2; exit 1; }
say "Jupyter: $(/usr/bin/python3 -c 'import notebook, nbconvert, jupyter_client as j; print("notebook", notebook.__version__, "nbconvert", nbconvert.__version__, "jupyter_client", j.__version__)')"

# --- browser check
if [ "$BROWSER" = 1 ]; then
  apt_install chromium chromium-driver
  command -v npm >/dev/null || apt_install nodejs npm
  BC="$ROOT/environment/browser-check"
  if [ -f "$BC/node_modules/playwright-core/package.json" ] && \
     [ "$(node -p "require('$BC/node_modules/playwright-core/package.json').version")" = \
       "$(node -p "require('$BC/package-lock.json').packages['node_modules/playwright-core'].version")" ]; then
    say "playwright-core present"
  else
    say "npm ci in environment/browser-check (playwright-core; it downloads no browser)"
    (cd "$BC" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
  say "browser: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium missing')"
fi
say "done"
