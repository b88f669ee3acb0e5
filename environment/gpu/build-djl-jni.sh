#!/usr/bin/env bash
# Builds DJL's PyTorch JNI library (libdjl_torch.so) against an existing libtorch, so that DJL's PyTorch engine
# (the DJL version seqcl uses) runs on that libtorch instead of the one DJL ships for it.
#   environment/gpu/build-djl-jni.sh --src DIR (--torch DIR | --python PY) [--out FILE] [--cuda auto|on|off]
#                                    [--jobs N]
#   --src DIR     DJL's JNI sources as packed by pack-djl-jni-src.sh (the bundle carries them in djl-jni-src/)
#   --torch DIR   a libtorch folder, or the 'torch' folder of a Python installation (site-packages/torch): it
#                 must hold lib/libtorch.so, include/ and share/cmake/Torch
#   --python PY   instead of --torch: the python whose 'import torch' is used (e.g. python3)
#   --out FILE    where the library goes (default ./libdjl_torch.so)
#   --cuda        compile DJL's optional CUDA code (emptyCache, separate inference streams); 'auto' (default)
#                 = on when the libtorch has libtorch_cuda.so and nvcc is found. seqcl needs neither: a build with
#                 off also runs on the GPU, since CUDA kernels live in libtorch_cuda.so, which DJL loads itself.
#   --mode        how to configure: 'torch' = DJL's CMakeLists.txt with find_package(Torch) (as DJL builds it;
#                 for a CUDA libtorch this needs the matching CUDA toolkit), 'direct' = a minimal CMake project
#                 written by this script that compiles the same sources against <torch>/include and links
#                 libtorch.so, libtorch_cpu.so and libc10.so (no CUDA code, no toolkit needed), 'auto' (default)
#                 = torch, then direct if configuring with find_package(Torch) fails
#   --jobs N      parallel compile jobs (default: all cores)
# Needs cmake, a C++17 compiler and (for --cuda on) the CUDA toolkit that matches the libtorch. Prints the
# torch version and the PYTORCH_* settings to use with the library. Nothing is downloaded.
set -euo pipefail
SRC=""; TORCH=""; PY=""; OUT="$PWD/libdjl_torch.so"; CUDA=auto; MODE=auto; JOBS="$(nproc 2>/dev/null || echo 2)"
while [ $# -gt 0 ]; do
  case "$1" in
    --src) SRC="$2"; shift 2 ;;
    --torch) TORCH="$2"; shift 2 ;;
    --python) PY="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --cuda) CUDA="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --mode) MODE="$2"; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "build-djl-jni.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
die() { echo "build-djl-jni.sh: $*" >&2; exit 1; }
[ -n "$SRC" ] || die "--src DIR is required (DJL JNI sources from pack-djl-jni-src.sh)"
NATIVE="$SRC/engines/pytorch/pytorch-native"
[ -f "$NATIVE/CMakeLists.txt" ] || die "--src $SRC: no engines/pytorch/pytorch-native/CMakeLists.txt"
[ -f "$NATIVE/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h" ] \
  || die "--src $SRC: the JNI header build/include/ai_djl_pytorch_jni_PyTorchLibrary.h is missing (re-pack)"
if [ -n "$PY" ]; then
  TORCH="$("$PY" -c 'import os, torch; print(os.path.dirname(torch.__file__))')" \
    || die "--python $PY cannot import torch"
fi
[ -n "$TORCH" ] || die "give --torch DIR or --python PY"
TORCH="$(cd "$TORCH" && pwd)"
[ -f "$TORCH/lib/libtorch.so" ] || die "--torch $TORCH has no lib/libtorch.so"
[ -d "$TORCH/share/cmake/Torch" ] || die "--torch $TORCH has no share/cmake/Torch (headers/CMake files missing?)"
[ -f "$TORCH/include/torch/script.h" ] || die "--torch $TORCH has no include/torch/script.h"
command -v cmake >/dev/null || die "cmake not found"

# torch version: version.py of a Python install, build-version of a libtorch zip, else the CMake config.
VER=""
[ -f "$TORCH/version.py" ] && VER="$(sed -n "s/^__version__ = '\([^']*\)'.*/\1/p" "$TORCH/version.py")"
[ -z "$VER" ] && [ -f "$TORCH/build-version" ] && VER="$(cat "$TORCH/build-version")"
[ -z "$VER" ] && VER="$(sed -n 's/.*PACKAGE_VERSION "\([^"]*\)".*/\1/p' "$TORCH/share/cmake/Torch/TorchConfigVersion.cmake" | head -1)"
BASE="${VER%%+*}"
echo "libtorch: $TORCH (version ${VER:-unknown})"

HAS_CUDA=0; [ -f "$TORCH/lib/libtorch_cuda.so" ] && HAS_CUDA=1
case "$CUDA" in
  auto) USE_CUDA=0; if [ "$HAS_CUDA" = 1 ] && command -v nvcc >/dev/null; then USE_CUDA=1; fi ;;
  on) USE_CUDA=1; [ "$HAS_CUDA" = 1 ] || die "--cuda on but $TORCH/lib has no libtorch_cuda.so" ;;
  off) USE_CUDA=0 ;;
  *) die "--cuda must be auto, on or off" ;;
esac
PT_VERSION=""
case "$BASE" in 1.13.*|2.0.*|2.1.*) PT_VERSION=V1_13_X ;; esac  # as DJL's build.sh does

BUILD="$(mktemp -d "${TMPDIR:-/tmp}/djl-jni-build.XXXXXX")"
GEN=(); command -v ninja >/dev/null && GEN=(-G Ninja)
# -L<torch>/lib: Python torch wheels' CMake targets link c10 by the bare name (-lc10); without it the linker
# takes any other libc10.so on the system (seen here: Debian's libtorch 1.13 in /usr/lib), which gives two
# copies of c10 at run time (autograd state split: "a leaf Variable ... in-place operation", then a crash).
CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=$TORCH/share/cmake" "-DPT_VERSION=$PT_VERSION"
            "-DCMAKE_SHARED_LINKER_FLAGS=-L$TORCH/lib -Wl,-rpath-link,$TORCH/lib")
if [ "$USE_CUDA" = 1 ]; then
  CMAKE_ARGS+=(-DUSE_CUDA=1)
else
  # A CUDA libtorch's CMake config looks for the CUDA toolkit; without --cuda we only need the CPU libraries.
  CMAKE_ARGS+=(-DUSE_CUDA=)
fi
# JNI headers: from JAVA_HOME if there is a JDK, else the copies packed with the sources (jni.h, jni_md.h).
if [ -z "${JAVA_HOME:-}" ] || [ ! -f "${JAVA_HOME:-}/include/jni.h" ]; then
  if [ -f "$SRC/jni-include/jni.h" ]; then
    CMAKE_ARGS+=("-DJAVA_INCLUDE_PATH=$SRC/jni-include" "-DJAVA_INCLUDE_PATH2=$SRC/jni-include/linux"
                 "-DJAVA_JVM_LIBRARY=NotNeeded")
  fi
fi
case "$MODE" in auto|torch|direct) ;; *) die "--mode must be auto, torch or direct" ;; esac

# 'direct' project: the same sources and include paths, the torch_cpu compile definitions read from the
# libtorch's exported CMake targets, the C++ ABI of the libtorch, and -rpath $ORIGIN like DJL's build.
write_direct() {
  local d="$1" defs abi
  defs="$(sed -n 's/^ *INTERFACE_COMPILE_DEFINITIONS "\([A-Z_0-9;]*\)"$/\1/p' \
          "$TORCH/share/cmake/Caffe2/Caffe2Targets.cmake" 2>/dev/null | head -1)"
  abi="$(grep -o '_GLIBCXX_USE_CXX11_ABI=[01]' "$TORCH/share/cmake/Torch/TorchConfig.cmake" | head -1 || true)"
  [ -z "$abi" ] && [ -n "$PY" ] && abi="_GLIBCXX_USE_CXX11_ABI=$("$PY" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')"
  mkdir -p "$d"
  cat > "$d/CMakeLists.txt" <<CMK
cmake_minimum_required(VERSION 3.16)
project(djl_torch_direct CXX)
file(GLOB SRCS "$NATIVE/src/main/native/*.cc")
add_library(djl_torch SHARED \${SRCS})
set_property(TARGET djl_torch PROPERTY CXX_STANDARD 17)
target_include_directories(djl_torch PRIVATE "$NATIVE/build/include" "$SRC/api/src/main/native"
  "\${JNI_INC}" "\${JNI_INC}/linux" "$TORCH/include" "$TORCH/include/torch/csrc/api/include")
target_compile_definitions(djl_torch PRIVATE $defs $abi \${PT_VERSION})
target_link_libraries(djl_torch PRIVATE "$TORCH/lib/libtorch.so" "$TORCH/lib/libtorch_cpu.so" "$TORCH/lib/libc10.so")
set(CMAKE_SKIP_RPATH TRUE)
set_target_properties(djl_torch PROPERTIES LINK_FLAGS "-Wl,-rpath,\\\$ORIGIN")
CMK
  echo "direct project: definitions '${defs//;/ } $abi'"
}
JNI_INC="${JAVA_HOME:+$JAVA_HOME/include}"
[ -f "${JNI_INC:-/nonexistent}/jni.h" ] || JNI_INC="$SRC/jni-include"
configure() {
  if [ "$1" = torch ]; then
    echo "cmake (DJL's CMakeLists.txt) ${CMAKE_ARGS[*]} (USE_CUDA=$USE_CUDA, build dir $BUILD)"
    cmake "${GEN[@]}" -S "$NATIVE" -B "$BUILD" "${CMAKE_ARGS[@]}" > "$BUILD/configure.log" 2>&1
  else
    write_direct "$BUILD/direct-src"
    echo "cmake (direct project) build dir $BUILD"
    cmake "${GEN[@]}" -S "$BUILD/direct-src" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release "-DJNI_INC=$JNI_INC" \
      "-DPT_VERSION=$PT_VERSION" > "$BUILD/configure.log" 2>&1
  fi
}
if [ "$MODE" = direct ]; then
  configure direct || { tail -40 "$BUILD/configure.log" >&2; die "cmake configure failed"; }
elif ! configure torch; then
  tail -25 "$BUILD/configure.log" >&2
  [ "$MODE" = auto ] || die "cmake configure with find_package(Torch) failed (log: $BUILD/configure.log)"
  echo "configuring with find_package(Torch) failed; trying --mode direct" >&2
  mv "$BUILD/configure.log" "$BUILD/configure-torch.log"
  rm -rf "$BUILD/CMakeCache.txt" "$BUILD/CMakeFiles"
  USE_CUDA=0
  configure direct || { tail -40 "$BUILD/configure.log" >&2; die "cmake configure failed in both modes"; }
fi
t0=$(date +%s)
cmake --build "$BUILD" --config Release -j "$JOBS" > "$BUILD/build.log" 2>&1 \
  || { grep -E -m 40 "error|Error" "$BUILD/build.log" >&2 || tail -40 "$BUILD/build.log" >&2
       die "compile failed (log: $BUILD/build.log)"; }
[ -f "$BUILD/libdjl_torch.so" ] || die "no libdjl_torch.so in $BUILD"
# Every torch/c10 library the JNI needs must be one of this libtorch's (same file name in <torch>/lib).
if command -v readelf >/dev/null; then
  for n in $(readelf -d "$BUILD/libdjl_torch.so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    case "$n" in
      libc10*|libtorch*|libcaffe2*)
        [ -e "$TORCH/lib/$n" ] || die "libdjl_torch.so needs $n, which is not in $TORCH/lib: it was linked against another libtorch on this system (readelf -d; log $BUILD/build.log)" ;;
    esac
  done
fi
mkdir -p "$(dirname "$OUT")"; cp "$BUILD/libdjl_torch.so" "$OUT"
echo "built $OUT ($(du -h "$OUT" | cut -f1)) in $(( $(date +%s) - t0 )) s"
FLAVOR=cpu; [ "$HAS_CUDA" = 1 ] && FLAVOR="cu$(echo "${VER#*+cu}" | tr -dc 0-9)"; [ "$FLAVOR" = cu ] && FLAVOR=cuda
echo "use with: PYTORCH_LIBRARY_PATH=$TORCH/lib PYTORCH_VERSION=$BASE PYTORCH_FLAVOR=$FLAVOR"
