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
#   jemalloc   LD_PRELOAD jemalloc, THP_MEM_ALLOC_ENABLE=0, and
#              MALLOC_CONF=oversize_threshold:0,dirty_decay_ms:30000,muzzy_decay_ms:0,background_thread:true:
#              freed pages are reused for 30 s, then returned by jemalloc's background threads. A training step
#              allocates and frees the same large tensors (full-softmax logits [256, 12101] and larger) every time;
#              jemalloc hands the same pages back, so they are neither faulted in again nor placed anew. Measured
#              idle, one libtorch thread, packed step, against glibc: SASRec Beauty 71-74 -> 68-69 ms, MCLRec Beauty
#              425-444 -> 383 ms, Meta-SGCL Toys 720-816 -> 575-577 ms (those with decay -1, below).
#              oversize_threshold:0 matters: jemalloc otherwise serves allocations above 8 MB from a separate arena
#              that it purges at once whenever the decay is positive, so they fault in again (Meta-SGCL steps 2-3x
#              slower with only background_thread:true,dirty_decay_ms:10000). Until 2026-12-01 the default was
#              dirty_decay_ms:-1,muzzy_decay_ms:-1 (never return memory): as fast, but models with augmented views
#              kept growing (MCLRec's full-budget run: 1.2 -> 5.3 GB resident in 45 minutes with 0.87 GB of Java heap,
#              and 0.84 -> 2.9 GB in the 33 minutes after a restart; about 0.5 MB per step in a probe with the
#              heap pre-touched). Idle A/B 2026-12-01 11:34-11:36, packed step, 1 thread, decay -1 against
#              this default: SASRec 74.1, 74.6 against 74.8, 72.2 ms; MCLRec 355, 366 against 407, 357 ms;
#              Meta-SGCL 611, 608 against 623, 624 ms (README "Engine, speed and GPU").
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
  export MALLOC_CONF="${MALLOC_CONF:-oversize_threshold:0,dirty_decay_ms:30000,muzzy_decay_ms:0,background_thread:true}"
  export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-0}"
else
  export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-268435456}"
  export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-1073741824}"
fi
unset seqcl_jemalloc
