# shellcheck shell=bash
# Process settings for libtorch on the CPU, sourced by every launcher (environment/seqcl, test.sh, bench/compare.sh,
# the GPU bundle's runner); kernel/install.sh writes the same values into the kernelspec. README "Engine, speed and
# GPU" has the measurements. Every value can be overridden from the environment.
#
# OMP_WAIT_POLICY=PASSIVE: libtorch's OpenMP threads otherwise busy-wait; with any other load on 2 cores a step was
# 6-10x slower.
#
# Memory allocator (SEQCL_ALLOCATOR=jemalloc|glibc; default jemalloc when libjemalloc.so.2 is installed, Debian
# package libjemalloc2, which environment/setup.sh installs):
#   jemalloc   LD_PRELOAD jemalloc and never return freed memory to the system (MALLOC_CONF dirty/muzzy decay -1),
#              THP_MEM_ALLOC_ENABLE=0. A training step allocates and frees the same large tensors (full-softmax
#              logits [256, 12101] and larger) every time; jemalloc hands the same pages back, so they are neither
#              faulted in again nor placed anew. Measured idle, one libtorch thread, packed step: SASRec Beauty
#              71-74 -> 68-69 ms, MCLRec Beauty 425-444 -> 383 ms, Meta-SGCL Toys 720-816 -> 575-577 ms.
#              The price is memory: freed pages stay with the process. After 3 epochs of SASRec on Toys under
#              the Meta-SGCL protocol (SASRec keeps its prefix samples there) jemalloc held 839 MB of
#              pages for 51 MB of live allocations. To trade speed for memory set
#              MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:30000,muzzy_decay_ms:0 (352 MB there; steps 7-20 %
#              slower for MCLRec and Meta-SGCL in an idle A/B). jemalloc's own default decay purges allocations
#              above 8 MB at once, which made a Meta-SGCL step about 3x slower.
#   glibc      glibc keeps freed large tensors (MALLOC_MMAP_THRESHOLD_ 256 MB, MALLOC_TRIM_THRESHOLD_ 1 GB) and
#              libtorch puts tensors of 2 MB or more on transparent huge pages (THP_MEM_ALLOC_ENABLE=1). Still, writes
#              into fresh [256, 12101] outputs (softmax, the logits product) took 30-40 ms instead of 2-7 ms in about
#              half of the steps: glibc's per-thread arenas keep opening new 64 MB heaps whose pages are faulted in.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

seqcl_find_jemalloc() {
  local f
  for f in /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/lib/aarch64-linux-gnu/libjemalloc.so.2 \
           /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2 /usr/local/lib/libjemalloc.so.2; do
    [ -f "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

case "${SEQCL_ALLOCATOR:-}" in
  ""|jemalloc)
    if seqcl_jemalloc="$(seqcl_find_jemalloc)"; then
      export SEQCL_ALLOCATOR=jemalloc
    elif [ "${SEQCL_ALLOCATOR:-}" = jemalloc ]; then
      echo "seqcl: SEQCL_ALLOCATOR=jemalloc but libjemalloc.so.2 is not installed (apt-get install libjemalloc2)" >&2
      exit 2
    else
      export SEQCL_ALLOCATOR=glibc
    fi ;;
  glibc) ;;
  *) echo "seqcl: SEQCL_ALLOCATOR must be jemalloc or glibc, got '${SEQCL_ALLOCATOR}'" >&2; exit 2 ;;
esac
if [ "$SEQCL_ALLOCATOR" = jemalloc ]; then
  case ":${LD_PRELOAD:-}:" in
    *libjemalloc*) ;;
    *) export LD_PRELOAD="$seqcl_jemalloc${LD_PRELOAD:+:$LD_PRELOAD}" ;;
  esac
  export MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:-1,muzzy_decay_ms:-1}"
  export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-0}"
else
  export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-268435456}"
  export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
fi
unset seqcl_jemalloc
