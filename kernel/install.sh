#!/usr/bin/env bash
# Installs the Jupyter kernelspec "seqcl (Java)" (name: seqcl-java).
#
#   kernel/install.sh [--no-build] [--dev] [--xmx SIZE] [--name NAME] [--dir KERNEL_DIR]
#
# What it does (idempotent, safe to re-run after every library change):
#   1. builds the library with Maven (skip with --no-build when `mvn package` already ran), which also writes
#      target/classpath.txt (the runtime dependency class path, see pom.xml);
#   2. resolves io.github.padreati:rapaio-jupyter-kernel (a self-contained shaded jar) from Maven Central;
#   3. compiles kernel/patch/ (the start-up race fix: a patched LoopThread and the launcher SafeKernelMain; see
#      LoopThread.java for the mechanism) against the kernel jar;
#   4. writes KERNEL_DIR/kernel.json whose JVM class path is
#        patch dir : kernel jar : seqcl jar : every jar of target/classpath.txt
#      and whose RJK_CLASSPATH (the class path of the kernel's JShell compiler, ';'-separated) holds the
#      library and its dependencies, so notebooks `import io.seqcl...` with no %jar/%classpath magic.
#
# Options:
#   --no-build     do not run Maven package (target/ must hold the jar and classpath.txt)
#   --dev          put target/classes (not a copied jar) on the class path: `mvn compile` + kernel restart
#                  picks up library changes without re-installing
#   --xmx SIZE     kernel heap (default $SEQCL_KERNEL_XMX or 8g)
#   --name NAME    kernelspec name (default seqcl-java); --display "TEXT" sets the display name
#   --dir DIR      install into DIR instead of $(jupyter --data-dir)/kernels/NAME
# Environment: MVN_ARGS (extra Maven flags, e.g. "-o" for offline), RJK_VERSION (default 3.0.1), JAVA_HOME.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RJK_VERSION="${RJK_VERSION:-3.0.1}"
NAME="seqcl-java"
DISPLAY_NAME="seqcl (Java)"
XMX="${SEQCL_KERNEL_XMX:-8g}"
BUILD=1
DEV=0
KDIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --dev) DEV=1 ;;
    --xmx) XMX="$2"; shift ;;
    --name) NAME="$2"; shift ;;
    --display) DISPLAY_NAME="$2"; shift ;;
    --dir) KDIR="$2"; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
say() { echo "[kernel/install] $*"; }
die() { echo "[kernel/install] ERROR: $*" >&2; exit 1; }

# --- Java: the kernel runs JShell in-process, so it needs a full JDK (javac + jdk.jshell), 17 or newer.
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"
else
  command -v java >/dev/null || die "java not found: run environment/setup.sh"
  JAVA="$(readlink -f "$(command -v java)")"
fi
JAVAC="$(dirname "$JAVA")/javac"
[ -x "$JAVAC" ] || die "$JAVA has no javac next to it: a JDK (not a JRE) is needed"
JAVA_SPEC="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
JAVA_MAJOR="${JAVA_SPEC%%.*}"
[ "${JAVA_MAJOR:-0}" -ge 17 ] 2>/dev/null || die "Java 17+ required, $JAVA is $JAVA_SPEC"
say "JDK $JAVA_SPEC at $JAVA"

# --- Python side of Jupyter (Debian's /usr/bin/python3 when present; a pyenv python3 may lack jupyter_client)
PY="${SEQCL_PYTHON:-}"
if [ -z "$PY" ]; then
  for c in /usr/bin/python3 python3; do
    if "$c" -c 'import jupyter_client' >/dev/null 2>&1; then PY="$c"; break; fi
  done
fi
[ -n "$PY" ] || die "no python3 with jupyter_client: run environment/setup.sh"

# --- 1. build
cd "$ROOT"
if [ "$BUILD" = 1 ]; then
  say "building the library: mvn -B -q ${MVN_ARGS:-} package -DskipTests"
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} package -DskipTests
fi
[ -s target/classpath.txt ] || die "target/classpath.txt missing: run 'mvn package -DskipTests' (or drop --no-build)"
ARTIFACT_VERSION="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n1)"
LIB_JAR="target/seqcl-${ARTIFACT_VERSION}.jar"
if [ "$DEV" = 0 ]; then
  [ -f "$LIB_JAR" ] || die "$LIB_JAR missing: run 'mvn package -DskipTests' (or drop --no-build)"
else
  [ -d target/classes/io/seqcl ] || die "target/classes missing: run 'mvn compile'"
fi

# --- where the kernelspec goes
if [ -z "$KDIR" ]; then
  DATA_DIR="$(jupyter --data-dir 2>/dev/null || true)"
  [ -n "$DATA_DIR" ] || DATA_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/jupyter"
  KDIR="$DATA_DIR/kernels/$NAME"
fi
mkdir -p "$KDIR/lib"
KDIR="$(cd "$KDIR" && pwd)"
say "kernelspec directory: $KDIR"

# --- 2. the kernel jar from Maven Central (shaded: zeromq, gson, maven resolver are inside; no other jars needed)
RJK_JAR="$KDIR/lib/rapaio-jupyter-kernel-${RJK_VERSION}.jar"
if [ ! -s "$RJK_JAR" ]; then
  say "resolving io.github.padreati:rapaio-jupyter-kernel:${RJK_VERSION} from Maven Central"
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_ARGS:-} -f "$ROOT/pom.xml" dependency:copy \
      -Dartifact="io.github.padreati:rapaio-jupyter-kernel:${RJK_VERSION}" -DoutputDirectory="$KDIR/lib"
fi
[ -s "$RJK_JAR" ] || die "kernel jar not resolved: $RJK_JAR"

# --- 3. the start-up race fix, compiled against that jar
PATCH_DIR="$KDIR/patch"
rm -rf "$PATCH_DIR"
mkdir -p "$PATCH_DIR"
"$JAVAC" --release 17 -nowarn -cp "$RJK_JAR" -sourcepath "$ROOT/kernel/patch" -d "$PATCH_DIR" \
    "$ROOT/kernel/patch/org/rapaio/jupyter/kernel/channels/LoopThread.java" \
    "$ROOT/kernel/patch/io/seqcl/kernel/SafeKernelMain.java"
[ -f "$PATCH_DIR/org/rapaio/jupyter/kernel/channels/LoopThread.class" ] || die "patch did not compile"
[ -f "$PATCH_DIR/io/seqcl/kernel/SafeKernelMain.class" ] || die "patch did not compile"

# --- the library itself
if [ "$DEV" = 1 ]; then
  LIB_ENTRY="$ROOT/target/classes"
else
  rm -f "$KDIR"/lib/seqcl-*.jar
  cp "$LIB_JAR" "$KDIR/lib/"
  LIB_ENTRY="$KDIR/lib/$(basename "$LIB_JAR")"
fi
cp target/classpath.txt "$KDIR/lib/dependencies.classpath"

# --- 4. kernel.json
JVM_FLAGS=("-Xmx${XMX}" "-XX:+UseG1GC" "-Dfile.encoding=UTF-8" "-Djava.awt.headless=true" "-Dai.djl.offline=true"
           "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
           "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error")
# default data directory for notebooks (SEQCL_DATA still wins; see kernel/patch/io/seqcl/kernel/SafeKernelMain.java)
JVM_FLAGS+=("-Dseqcl.kernel.data=$ROOT/data")
if [ "$JAVA_MAJOR" -ge 21 ]; then
  JVM_FLAGS+=("--enable-native-access=ALL-UNNAMED")
fi

# the kernel's process settings (OpenMP wait policy, memory allocator) as the launchers set them
RUNTIME_ENV="$(. "$ROOT/environment/runtime-env.sh" && for v in OMP_WAIT_POLICY THP_MEM_ALLOC_ENABLE LD_PRELOAD MALLOC_CONF \
  MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_; do [ -n "${!v:-}" ] && printf '%s=%s\n' "$v" "${!v}"; done; true)"
say "kernel process settings: $(echo "$RUNTIME_ENV" | paste -sd' ')"

RUNTIME_ENV="$RUNTIME_ENV" KDIR="$KDIR" JAVA="$JAVA" DISPLAY_NAME="$DISPLAY_NAME" PATCH_DIR="$PATCH_DIR" RJK_JAR="$RJK_JAR" \
LIB_ENTRY="$LIB_ENTRY" MAIN_CLASS="io.seqcl.kernel.SafeKernelMain" DEPS_FILE="$KDIR/lib/dependencies.classpath" RJK_VERSION="$RJK_VERSION" \
"$PY" - "${JVM_FLAGS[@]}" <<'PYEOF'
import json, os, sys
env = os.environ
deps = [p for p in open(env["DEPS_FILE"]).read().strip().split(os.pathsep) if p]
missing = [p for p in deps if not os.path.exists(p)]
if missing:
    sys.exit("[kernel/install] ERROR: dependency jars missing: %s" % missing[:3])
jvm_cp = [env["PATCH_DIR"], env["RJK_JAR"], env["LIB_ENTRY"]] + deps
spec = {
    "argv": [env["JAVA"], *sys.argv[1:], "-cp", os.pathsep.join(jvm_cp),
             env["MAIN_CLASS"], "{connection_file}"],
    "display_name": env["DISPLAY_NAME"],
    "language": "java",
    "interrupt_mode": "message",
    "env": {
        # JShell compiler class path; the kernel splits it on ';'
        "RJK_CLASSPATH": ";".join([env["LIB_ENTRY"]] + deps),
        "RJK_TIMEOUT_MILLIS": "-1",
        # OpenMP wait policy and memory allocator (environment/runtime-env.sh; README "Engine, speed and GPU")
        **dict(line.split("=", 1) for line in env["RUNTIME_ENV"].splitlines() if "=" in line),
    },
    "metadata": {"seqcl": {"rapaio_jupyter_kernel": env["RJK_VERSION"], "race_fix": env["PATCH_DIR"],
                           "race_fix_main": env["MAIN_CLASS"], "stock_main": "org.rapaio.jupyter.kernel.MainApp"}},
}
with open(os.path.join(env["KDIR"], "kernel.json"), "w") as f:
    json.dump(spec, f, indent=1)
PYEOF

say "installed kernelspec '$NAME' (\"$DISPLAY_NAME\"): $KDIR/kernel.json"
say "JVM flags: ${JVM_FLAGS[*]}"
