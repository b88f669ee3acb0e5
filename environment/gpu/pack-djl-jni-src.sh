#!/usr/bin/env bash
# Packs the sources of DJL's PyTorch JNI library (libdjl_torch.so) of the DJL version seqcl uses, so that
# build-djl-jni.sh can compile them on a machine without Java or network (e.g. the GPU machine).
#   environment/gpu/pack-djl-jni-src.sh --djl DIR [--tag v0.32.0] --out DIR
# DIR is a DJL git repository (a checkout or a bare mirror; the tag is read with `git archive`) or an unpacked
# DJL source tree of that version. What is packed (a few hundred KB, nothing of it is committed to seqcl):
#   engines/pytorch/pytorch-native/{CMakeLists.txt,src/main/native/*}   DJL's JNI sources and CMake file
#   api/src/main/native/djl/utils.h                                      a header the JNI sources include
#   engines/pytorch/pytorch-native/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h
#       the JNI header, generated here with `javac -h` from DJL's PyTorchLibrary.java (the target machine has
#       no javac; DJL's own build.sh generates it the same way)
#   jni-include/{jni.h,linux/jni_md.h}   the JNI headers of this JDK (the target machine has no JDK)
# The layout is DJL's, because its CMakeLists.txt finds utils.h at ../../../api/src/main/native.
set -euo pipefail
DJL=""; TAG="v0.32.0"; OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --djl) DJL="$2"; shift 2 ;;
    --tag) TAG="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "pack-djl-jni-src.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$DJL" ] && [ -n "$OUT" ] || { echo "pack-djl-jni-src.sh: --djl DIR and --out DIR are required" >&2; exit 2; }
[ -d "$DJL" ] || { echo "pack-djl-jni-src.sh: --djl $DJL is not a directory" >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NATIVE=engines/pytorch/pytorch-native
ENGINE=engines/pytorch/pytorch-engine/src/main/java
rm -rf "$OUT"; mkdir -p "$OUT"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
if git --git-dir="$DJL" rev-parse --verify -q "$TAG^{commit}" >/dev/null 2>&1 \
   || git -C "$DJL" rev-parse --verify -q "$TAG^{commit}" >/dev/null 2>&1; then
  gd="$DJL"; git --git-dir="$DJL" rev-parse -q --verify HEAD >/dev/null 2>&1 || gd="$DJL/.git"
  git --git-dir="$gd" archive "$TAG" "$NATIVE/CMakeLists.txt" "$NATIVE/src/main/native" \
      api/src/main/native/djl "$ENGINE" | tar -x -C "$tmp"
  echo "DJL sources: $DJL at $TAG ($(git --git-dir="$gd" rev-parse "$TAG^{commit}"))"
else
  for p in "$NATIVE/CMakeLists.txt" "$NATIVE/src/main/native" api/src/main/native/djl "$ENGINE"; do
    [ -e "$DJL/$p" ] || { echo "pack-djl-jni-src.sh: $DJL has no $p (not a DJL source tree?)" >&2; exit 1; }
    mkdir -p "$tmp/$(dirname "$p")"; cp -r "$DJL/$p" "$tmp/$p"
  done
  echo "DJL sources: $DJL (source tree; tag not checked)"
fi
mkdir -p "$OUT/$NATIVE/src/main" "$OUT/api/src/main/native" "$OUT/$NATIVE/build/include"
cp "$tmp/$NATIVE/CMakeLists.txt" "$OUT/$NATIVE/"
cp -r "$tmp/$NATIVE/src/main/native" "$OUT/$NATIVE/src/main/"
cp -r "$tmp/api/src/main/native/djl" "$OUT/api/src/main/native/"
# JNI header: javac -h on PyTorchLibrary.java, with DJL's api jar (from the seqcl build's classpath) for imports.
CP=""; [ -f "$ROOT/target/classpath.txt" ] && CP="$(tr ':' '\n' < "$ROOT/target/classpath.txt" | grep -E '/(api|pytorch-engine)-[0-9.]+\.jar$' | paste -sd: || true)"
[ -n "$CP" ] || CP="$(ls "$HOME"/.m2/repository/ai/djl/api/*/api-*.jar | tail -1)"
javac -nowarn -cp "$CP" -sourcepath "$tmp/$ENGINE" -h "$OUT/$NATIVE/build/include" -d "$tmp/classes" \
  "$tmp/$ENGINE/ai/djl/pytorch/jni/PyTorchLibrary.java" 2>"$tmp/javac.log" \
  || { cat "$tmp/javac.log" >&2; echo "pack-djl-jni-src.sh: javac -h failed" >&2; exit 1; }
# jni.h / jni_md.h of this JDK, for CMake's FindJNI on a machine without a JDK.
JH="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
mkdir -p "$OUT/jni-include/linux"
cp "$JH/include/jni.h" "$OUT/jni-include/"; cp "$JH/include/linux/jni_md.h" "$OUT/jni-include/linux/"
echo "$TAG" > "$OUT/DJL_VERSION"
ls "$OUT/$NATIVE/build/include"
echo "packed $(find "$OUT" -type f | wc -l) files, $(du -sh "$OUT" | cut -f1) in $OUT"
