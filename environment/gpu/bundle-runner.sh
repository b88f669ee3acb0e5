#!/usr/bin/env bash
# seqcl bundle runner (installed as bin/seqcl by environment/gpu/make-bundle.sh). Runs seqcl with the bundle's
# JRE on an EXISTING libtorch, offline:
#   bin/seqcl <seqcl command> [options]      e.g. bin/seqcl bench, bin/seqcl gpu-check --out DIR
# Which libtorch (first that applies):
#   PYTORCH_LIBRARY_PATH   a folder holding libtorch.so (DJL's own variable), or
#   SEQCL_TORCH            a libtorch folder or a Python 'torch' package folder (site-packages/torch), or
#   SEQCL_PYTHON           a python whose 'import torch' is used (default: python3, if it has torch)
# PYTORCH_VERSION and PYTORCH_FLAVOR are derived from that libtorch (version.py / build-version; cpu, or cuNNN
# when it has libtorch_cuda.so) unless set. DJL needs its JNI library built for exactly that libtorch:
#   SEQCL_DJL_JNI          path of libdjl_torch.so (default: the bundle's jni/libdjl_torch.so, which
#                          bin/build-jni writes); it is installed where DJL 0.32's LibUtils looks for it:
#                          $ENGINE_CACHE_DIR/pytorch/<version>-<flavor>-linux-x86_64/<djl>-libdjl_torch.so
#   (or a libdjl_torch.so already inside the libtorch folder, which DJL finds itself)
# Other settings: SEQCL_DEVICE (cpu | gpu | gpu:N), SEQCL_DATA (default: the bundle's data/ if present),
# SEQCL_JAVA_OPTS (default -Xmx8g), ENGINE_CACHE_DIR / DJL_CACHE_DIR (default: the bundle's cache/, else a temp
# folder), PYTORCH_LIBRARY_EXCLUSION (default: the test libraries of Python torch wheels).
# 'bin/seqcl gpu-check ...' runs io.seqcl.bench.GpuCheck; anything else goes to io.seqcl.cli.Main.
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
die() { echo "seqcl (bundle): $*" >&2; exit 1; }
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ] || [ $# -eq 0 ]; then sed -n '2,23p' "$0"; [ $# -eq 0 ] && exit 2; exit 0; fi

# --- libtorch
LIBDIR="${PYTORCH_LIBRARY_PATH:-}"
if [ -z "$LIBDIR" ] && [ -n "${SEQCL_TORCH:-}" ]; then
  if [ -f "$SEQCL_TORCH/libtorch.so" ]; then LIBDIR="$SEQCL_TORCH"; else LIBDIR="$SEQCL_TORCH/lib"; fi
fi
if [ -z "$LIBDIR" ]; then
  PY="${SEQCL_PYTHON:-python3}"
  T="$("$PY" -c 'import os, torch; print(os.path.dirname(torch.__file__))' 2>/dev/null || true)"
  [ -n "$T" ] || die "no libtorch: set PYTORCH_LIBRARY_PATH or SEQCL_TORCH, or SEQCL_PYTHON to a python with torch"
  LIBDIR="$T/lib"
fi
[ -f "$LIBDIR/libtorch.so" ] || die "no libtorch.so in $LIBDIR"
LIBDIR="$(cd "$LIBDIR" && pwd)"
TROOT="$(dirname "$LIBDIR")"
VER="${PYTORCH_VERSION:-}"
if [ -z "$VER" ]; then
  FULL=""
  [ -f "$TROOT/version.py" ] && FULL="$(sed -n "s/^__version__ = '\([^']*\)'.*/\1/p" "$TROOT/version.py")"
  [ -z "$FULL" ] && [ -f "$TROOT/build-version" ] && FULL="$(cat "$TROOT/build-version")"
  [ -n "$FULL" ] || die "cannot tell the torch version of $LIBDIR: set PYTORCH_VERSION (e.g. 2.11.0)"
  VER="${FULL%%+*}"
fi
FLAVOR="${PYTORCH_FLAVOR:-}"
if [ -z "$FLAVOR" ]; then
  if [ -f "$LIBDIR/libtorch_cuda.so" ]; then
    FLAVOR="cu$(echo "${FULL:-}" | sed -n 's/.*+cu\([0-9]*\).*/\1/p')"; [ "$FLAVOR" = cu ] && FLAVOR=cuda
  else
    FLAVOR=cpu
  fi
fi
export PYTORCH_LIBRARY_PATH="$LIBDIR" PYTORCH_VERSION="$VER" PYTORCH_FLAVOR="$FLAVOR"
export PYTORCH_LIBRARY_EXCLUSION="${PYTORCH_LIBRARY_EXCLUSION:-libtorchbind_test.so,libjitbackend_test.so,libbackend_with_compiler.so,libaoti_custom_ops.so}"

# --- DJL cache and the JNI library
CACHE="${ENGINE_CACHE_DIR:-${DJL_CACHE_DIR:-$HERE/cache}}"
mkdir -p "$CACHE" 2>/dev/null && [ -w "$CACHE" ] || CACHE="$(mktemp -d "${TMPDIR:-/tmp}/seqcl-djl.XXXXXX")"
export ENGINE_CACHE_DIR="$CACHE" DJL_CACHE_DIR="${DJL_CACHE_DIR:-$CACHE}"
DJLV="$(cat "$HERE/DJL_API_VERSION" 2>/dev/null || echo 0.32.0)"
JNI="${SEQCL_DJL_JNI:-$HERE/jni/libdjl_torch.so}"
if [ -f "$JNI" ]; then
  DEST="$CACHE/pytorch/$VER-$FLAVOR-linux-x86_64"
  mkdir -p "$DEST"
  cmp -s "$JNI" "$DEST/$DJLV-libdjl_torch.so" || cp "$JNI" "$DEST/$DJLV-libdjl_torch.so"
elif [ ! -f "$LIBDIR/libdjl_torch.so" ] && [ ! -f "$LIBDIR/$DJLV-libdjl_torch.so" ] \
     && [ ! -f "$CACHE/pytorch/$VER-$FLAVOR-linux-x86_64/$DJLV-libdjl_torch.so" ]; then
  die "no DJL JNI library for torch $VER ($FLAVOR). Build it: $HERE/bin/build-jni --src $HERE/djl-jni-src --torch $TROOT --out $HERE/jni/libdjl_torch.so"
fi

# --- CUDA runtime for DJL's GPU count (JNA loads libcudart): the wheel's nvidia/*/lib folders, the toolkit.
JNA=""
for d in "$TROOT"/../nvidia/*/lib "$TROOT"/../nvidia/*/*/lib /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
  ls "$d"/libcudart.so* >/dev/null 2>&1 && JNA="${JNA:+$JNA:}$(cd "$d" && pwd)"
done
[ -n "${SEQCL_DATA:-}" ] || { [ -d "$HERE/data" ] && export SEQCL_DATA="$HERE/data"; }
. "$HERE/bin/runtime-env.sh"  # OpenMP wait policy, memory allocator (environment/runtime-env.sh)
MAIN=io.seqcl.cli.Main
if [ "$1" = gpu-check ]; then MAIN=io.seqcl.bench.GpuCheck; shift; fi
# shellcheck disable=SC2086
exec "$HERE/jre/bin/java" ${SEQCL_JAVA_OPTS:--Xmx8g} -Dai.djl.offline=true -Djava.awt.headless=true \
  ${JNA:+-Djna.library.path=$JNA} -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error \
  -cp "$HERE/lib/*" "$MAIN" "$@"
