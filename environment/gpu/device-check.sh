#!/usr/bin/env bash
# The prepared GPU check, run ON THE GPU MACHINE (no Java, no network; python3 with torch 2.11+cu130, cmake,
# nvcc 13) through the session's device tool, from the repository root, with the bundle carried:
#   here:  SEQCL_DATA=/work/shared/data environment/gpu/make-bundle.sh \
#            --djl /work/.mirror/deepjavalibrary+djl/repo --data amazon-beauty      (prints the size, < 64 MiB)
#          (makes dist/seqcl-bundle/ and dist/seqcl-bundle.tar.xz, the one solid archive that travels)
#   there: run(command="bash environment/gpu/device-check.sh", carry=["dist/seqcl-bundle.tar.xz"], timeout_s=480)
#   (a JNI library returned by an earlier run can travel too: put it at dist/jni/libdjl_torch.so with its torch
#    version in dist/jni/TORCH_VERSION and add "dist/jni" to carry)
# Steps: machine facts; build DJL's JNI against python3's torch (bin/build-jni; skipped when the carried
# jni/libdjl_torch.so was built for the same torch); then bin/seqcl gpu-check --device gpu in two calls: the
# step/epoch benchmarks and the CPU-vs-GPU agreement, then the full-budget SASRec training on Beauty with the
# epoch cap that fits the time left (DEADLINE_S from the start, default 420 s; EPOCHS=N forces a cap).
# DEVICE (default gpu; cpu for a dry run). GPU_CHECK_ARGS adds options to both gpu-check calls (e.g. "--bench-steps 10"; a CPU dry run of this script
# used "--dataset synthetic --bench-steps 3 --bench-items 2000 --bench-users 300").
# Back under $OUT (at most 8 files): device-check.log, summary.json, summary.csv, gpu-check.txt, train.txt,
# train-summary.json, build-jni.log, libdjl_torch.so (see above to carry it next time).
set -uo pipefail
T0=$(date +%s)
OUT="${OUT:-/tmp/seqcl-device-out}"; mkdir -p "$OUT"
ARCHIVE="${BUNDLE_ARCHIVE:-dist/seqcl-bundle.tar.xz}"
DEADLINE_S="${DEADLINE_S:-420}"
W="$(mktemp -d)"
LOG="$OUT/device-check.log"
exec > >(tee -a "$LOG") 2>&1
left() { echo $(( DEADLINE_S - ($(date +%s) - T0) )); }
say() { echo "[device-check +$(( $(date +%s) - T0 ))s] $*"; }
if [ -n "${BUNDLE:-}" ]; then
  B="$BUNDLE"
elif [ -f "$ARCHIVE" ]; then
  mkdir -p /tmp/seqcl-unpack
  tar -xJf "$ARCHIVE" -C /tmp/seqcl-unpack 2>/dev/null || python3 -c \
    'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$ARCHIVE" /tmp/seqcl-unpack
  B=/tmp/seqcl-unpack/seqcl-bundle
  say "unpacked $ARCHIVE ($(du -sh "$ARCHIVE" | cut -f1)) to $B"
else
  B=dist/seqcl-bundle
fi
[ -x "$B/bin/seqcl" ] || { say "no bundle at $B (carry dist/seqcl-bundle.tar.xz)"; exit 1; }
if [ -f dist/jni/libdjl_torch.so ] && [ -f dist/jni/TORCH_VERSION ]; then
  cp dist/jni/libdjl_torch.so dist/jni/TORCH_VERSION "$B/jni/"
fi

say "machine: $(uname -m), $(nproc) cores, $(date -u +%FT%TZ)"
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader || say "nvidia-smi failed"
python3 - <<'PY' || say "python3 torch check failed"
import torch, os
print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(),
      "device", torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
      "cxx11abi", torch._C._GLIBCXX_USE_CXX11_ABI, "dir", os.path.dirname(torch.__file__))
PY
TV="$(python3 -c 'import torch; print(torch.__version__)' 2>/dev/null || echo unknown)"

# --- 1. the JNI library for this torch
JNI="$B/jni/libdjl_torch.so"
if [ -f "$JNI" ] && [ "$(cat "$B/jni/TORCH_VERSION" 2>/dev/null)" = "$TV" ]; then
  say "using the carried $JNI (built for torch $TV)"
else
  say "building DJL's JNI against torch $TV"
  if timeout 300 "$B/bin/build-jni" --src "$B/djl-jni-src" --python python3 --out "$JNI" --jobs "$(nproc)" \
       > "$OUT/build-jni.log" 2>&1; then
    echo "$TV" > "$B/jni/TORCH_VERSION"; cp "$JNI" "$OUT/libdjl_torch.so"
    tail -3 "$OUT/build-jni.log"
  else
    say "JNI build FAILED (rc $?):"; tail -40 "$OUT/build-jni.log"
    cp "$(ls -d /tmp/djl-jni-build.*/build.log 2>/dev/null | head -1)" "$OUT/build-jni-full.log" 2>/dev/null
    exit 1
  fi
fi

# --- 2. benchmarks and agreement (the summary is rewritten after each part)
export SEQCL_DEVICE="${DEVICE:-gpu}" SEQCL_JAVA_OPTS="${SEQCL_JAVA_OPTS:--Xmx16g}"
say "gpu-check: step, epoch, agree ($(left) s left)"
timeout "$(( $(left) - 30 ))" "$B/bin/seqcl" gpu-check --device "${DEVICE:-gpu}" --parts step,epoch,agree --out "$W/check" ${GPU_CHECK_ARGS:-}
say "gpu-check parts 1-3 exit $?"
cp "$W/check/summary.json" "$W/check/summary.csv" "$W/check/gpu-check.txt" "$OUT/" 2>/dev/null

# --- 3. full-budget SASRec training on Beauty under the MCLRec protocol, capped to the time left
EP="${EPOCHS:-}"
if [ -z "$EP" ]; then
  EP="$(python3 - "$W/check/summary.json" "$(left)" <<'PY'
import json, sys
try:
    s = json.load(open(sys.argv[1]))
    per = (s.get("sasrec_epoch_s") or 0) * 1.2 + 0.5
except Exception:
    per = 0
left = int(sys.argv[2]) - 40
print(max(1, min(100, int(left / per))) if per > 0 else 5)
PY
)"
fi
say "training SASRec on Beauty, epochs capped at $EP (100 = the protocol's full budget), $(left) s left"
timeout "$(( $(left) - 5 ))" "$B/bin/seqcl" gpu-check --device "${DEVICE:-gpu}" --parts train --epochs "$EP" --out "$W/train" ${GPU_CHECK_ARGS:-}
say "training exit $?"
cp "$W/train/gpu-check.txt" "$OUT/train.txt" 2>/dev/null
cp "$W/train/summary.json" "$OUT/train-summary.json" 2>/dev/null
say "done in $(( $(date +%s) - T0 )) s; files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
