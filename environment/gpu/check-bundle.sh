#!/usr/bin/env bash
# Checks the offline bundle on this (CPU) machine. Not part of the normal test suite (it takes minutes: jlink,
# engine start); run it after changing dependencies or the bundle scripts:
#   environment/gpu/check-bundle.sh [--rebuild --djl DJL_DIR] [--torch DIR --jni FILE]
# 1. (with --rebuild) makes dist/seqcl-bundle with make-bundle.sh --djl DJL_DIR
# 2. the archive that travels (<bundle>.tar.xz) is under 64 MiB; no libtorch and no pytorch-native / pytorch-jni jar inside; the JRE starts; the DJL JNI
#    sources, their JNI header and jni.h are packed (when the bundle was made with --djl)
# 3. runs bin/seqcl gpu-check --device cpu --parts agree on the synthetic dataset against an EXISTING libtorch:
#    by default DJL's CPU libtorch 2.5.1 unpacked from the pytorch-native-cpu jar in ~/.m2, with DJL's released
#    JNI library for it (from the pytorch-jni jar) passed as SEQCL_DJL_JNI; or --torch DIR (a libtorch or a
#    Python torch folder) with --jni FILE (e.g. one built by build-djl-jni.sh). It must report that the engine
#    loaded that libtorch, and the CPU-vs-CPU agreement must pass.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
B="$ROOT/dist/seqcl-bundle"; REBUILD=0; DJL=""; TORCH=""; JNI=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) REBUILD=1; shift ;;
    --djl) DJL="$2"; shift 2 ;;
    --torch) TORCH="$2"; shift 2 ;;
    --jni) JNI="$2"; shift 2 ;;
    --bundle) B="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "check-bundle.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
fail() { echo "check-bundle: FAIL: $*" >&2; exit 1; }
ok() { echo "check-bundle: ok: $*"; }
if [ "$REBUILD" = 1 ]; then
  "$ROOT/environment/gpu/make-bundle.sh" --out "$B" ${DJL:+--djl "$DJL"}
fi
[ -x "$B/bin/seqcl" ] || fail "no bundle at $B (run with --rebuild --djl DIR, or make-bundle.sh)"

[ -f "$B.tar.xz" ] || fail "no $B.tar.xz (make-bundle.sh without --no-archive makes it)"
[ "$B.tar.xz" -nt "$B/bin/seqcl" ] || fail "$B.tar.xz is older than the bundle folder"
BYTES="$(stat -c %s "$B.tar.xz")"
[ "$BYTES" -lt $((64 * 1048576)) ] || fail "bundle archive is $BYTES bytes (>= 64 MiB)"
ok "archive $(awk "BEGIN{printf \"%.1f\", $BYTES/1048576}") MiB < 64 MiB (folder $(du -sh "$B" | cut -f1) unpacked)"
! ls "$B"/lib | grep -q -E '^pytorch-(native|jni)-' || fail "a pytorch-native/pytorch-jni jar is in lib/"
[ -z "$(find "$B" -name 'libtorch*.so*' -print -quit)" ] || fail "a libtorch library is inside the bundle"
ok "no libtorch and no native jars inside"
"$B/jre/bin/java" -version >/dev/null 2>&1 || fail "the bundle's JRE does not start"
ok "JRE: $("$B/jre/bin/java" -version 2>&1 | head -1); modules: $("$B/jre/bin/java" --list-modules | wc -l)"
if [ -d "$B/djl-jni-src" ]; then
  for f in engines/pytorch/pytorch-native/CMakeLists.txt \
           engines/pytorch/pytorch-native/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h \
           api/src/main/native/djl/utils.h jni-include/jni.h jni-include/linux/jni_md.h; do
    [ -f "$B/djl-jni-src/$f" ] || fail "djl-jni-src/$f missing"
  done
  ok "DJL JNI sources packed ($(cat "$B/djl-jni-src/DJL_VERSION"))"
fi

TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
if [ -z "$TORCH" ]; then
  NJ="$(ls "$HOME"/.m2/repository/ai/djl/pytorch/pytorch-native-cpu/2.5.1/pytorch-native-cpu-2.5.1-linux-x86_64.jar)"
  JJ="$(ls "$HOME"/.m2/repository/ai/djl/pytorch/pytorch-jni/2.5.1-0.32.0/pytorch-jni-2.5.1-0.32.0.jar)"
  (cd "$TMP" && unzip -q "$NJ" 'pytorch/cpu/linux-x86_64/*' && unzip -q "$JJ" 'jnilib/linux-x86_64/cpu/libdjl_torch.so')
  LIBDIR="$TMP/pytorch/cpu/linux-x86_64"; JNI="$TMP/jnilib/linux-x86_64/cpu/libdjl_torch.so"
  export PYTORCH_LIBRARY_PATH="$LIBDIR" PYTORCH_VERSION=2.5.1 PYTORCH_FLAVOR=cpu
else
  [ -n "$JNI" ] || fail "--torch needs --jni FILE"
  export SEQCL_TORCH="$TORCH"
  LIBDIR="$(cd "$TORCH" && { [ -f libtorch.so ] && pwd || (cd lib && pwd); })"
fi
export SEQCL_DJL_JNI="$JNI" ENGINE_CACHE_DIR="$TMP/cache" SEQCL_JAVA_OPTS="-Xmx2g"
echo "check-bundle: running gpu-check (cpu, agree) on libtorch $LIBDIR with JNI $JNI"
"$B/bin/seqcl" gpu-check --device cpu --parts agree --dataset synthetic --agree-batch 8 --out "$TMP/out" \
  > "$TMP/run.log" 2>&1 || { cat "$TMP/run.log"; fail "gpu-check exited non-zero"; }
cat "$TMP/run.log"
grep -q "libtorch $LIBDIR" "$TMP/run.log" || fail "the engine did not load the libtorch in $LIBDIR"
grep -q '"passed": true' "$TMP/out/summary.json" || fail "agreement did not pass"
ok "bundle runs offline on an existing libtorch ($LIBDIR)"
