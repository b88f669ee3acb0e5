#!/usr/bin/env bash
# Makes a self-contained seqcl bundle for a Linux x86-64 machine without Java or network (e.g. the GPU machine):
#   environment/gpu/make-bundle.sh [--out DIR] [--djl DJL_GIT] [--jni FILE] [--data NAMES] [--no-build]
#   --out DIR     where the bundle goes (default dist/seqcl-bundle; dist/ is git-ignored)
#   --djl DIR     a DJL git repository or source tree: packs DJL's PyTorch JNI sources of the DJL version in use
#                 (djl-jni-src/, with the generated JNI header) so that the target can build libdjl_torch.so
#                 (bin/build-jni) against its own libtorch
#   --jni FILE    a prebuilt libdjl_torch.so to carry (jni/libdjl_torch.so); bin/build-jni writes the same place
#   --data NAMES  comma-separated dataset folders of $SEQCL_DATA to carry (e.g. amazon-beauty); default none
#   --no-build    use target/ as it is (default: mvn -o -q package -DskipTests first)
#   --no-archive  skip dist/seqcl-bundle.tar.xz (the form that travels; see below)
# Contents: jre/ (a jlink image with only the modules that jdeps finds in seqcl and its dependencies), lib/ (the
# seqcl jar and its runtime dependencies WITHOUT pytorch-native-* (libtorch itself) and without pytorch-jni (a JNI
# library for DJL's own libtorch 2.5.1 only)), bin/seqcl (the runner), bin/build-jni, README.txt.
# The bundle needs an existing libtorch on the target; see bin/seqcl --help.
# Size: the jars are re-packed without compression and the JRE is linked with --compress=0, so that one solid xz
# archive of the whole folder (<out>.tar.xz, the form to carry; unpack with tar -xJf) is far smaller than
# per-file deflate (fastutil: 22.5 MB jar -> 4 MB). Prints the sizes; fails if the archive is 64 MiB or more.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/dist/seqcl-bundle"; DJL=""; JNI=""; DATA=""; BUILD=1; ARCHIVE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --djl) DJL="$2"; shift 2 ;;
    --jni) JNI="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-archive) ARCHIVE=0; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "make-bundle.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
die() { echo "make-bundle.sh: $*" >&2; exit 1; }
LIMIT_MIB=64
cd "$ROOT"
if [ "$BUILD" = 1 ]; then
  echo "building seqcl (mvn -B -q -o package -DskipTests) ..."
  mvn -B -q -o package -DskipTests >/dev/null
fi
JAR="$(ls target/seqcl-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc' | head -1)"
[ -f "$JAR" ] && [ -f target/classpath.txt ] || die "no target/seqcl-*.jar or target/classpath.txt (build first)"
[ -z "$JNI" ] || [ -f "$JNI" ] || die "--jni $JNI: no such file"

rm -rf "$OUT"; mkdir -p "$OUT/lib" "$OUT/bin" "$OUT/jni"
cp "$JAR" "$OUT/lib/"
DEPS=()
while IFS= read -r j; do
  case "$(basename "$j")" in
    pytorch-native-*|pytorch-jni-*) continue ;;
  esac
  DEPS+=("$j"); cp "$j" "$OUT/lib/"
done < <(tr ':' '\n' < target/classpath.txt | grep -v '^$')
# Re-pack every jar with stored (uncompressed) entries: same content, compressed once by xz below.
command -v zip >/dev/null || die "zip not found (apt-get install zip)"
for j in "$OUT"/lib/*.jar; do
  t="$(mktemp -d)"; (cd "$t" && unzip -q "$j" && rm -f "$j" && zip -q -0 -X -r "$j" .); rm -rf "$t"
done

# Modules: jdeps per jar (modular jars with optional requires confuse a single whole-classpath run).
CP="$(IFS=:; echo "${DEPS[*]}")"
MODCACHE=target/bundle-modules.txt   # jdeps takes minutes on a loaded machine; redo when the jars change
if [ -f "$MODCACHE" ] && [ "$MODCACHE" -nt target/classpath.txt ] && [ "$MODCACHE" -nt "$JAR" ]; then
  MODS="$(cat "$MODCACHE")"
else
  MODS="java.base"
  for j in "$JAR" "${DEPS[@]}"; do
    m="$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps --class-path "$CP" "$j" 2>/dev/null \
         | tail -1 || true)"
    case "$m" in *java.*|*jdk.*) MODS="$MODS,$m" ;; esac
  done
  # jdk.zipfs and jdk.charsets are looked up at run time (zip file systems, charsets), which jdeps cannot see.
  MODS="$(echo "$MODS,jdk.zipfs,jdk.charsets" | tr ',' '\n' | grep -v '^$' | sort -u | paste -sd,)"
  echo "$MODS" > "$MODCACHE"
fi
echo "jlink modules: $MODS"
jlink --add-modules "$MODS" --strip-debug --no-header-files --no-man-pages --compress=0 --output "$OUT/jre" \
  2>&1 | grep -v "^Warning: The --compress" || true
[ -x "$OUT/jre/bin/java" ] || die "jlink failed"

if [ -n "$DJL" ]; then
  "$ROOT/environment/gpu/pack-djl-jni-src.sh" --djl "$DJL" --out "$OUT/djl-jni-src"
fi
[ -n "$JNI" ] && cp "$JNI" "$OUT/jni/libdjl_torch.so"
if [ -n "$DATA" ]; then
  D="${SEQCL_DATA:-$ROOT/data}"
  mkdir -p "$OUT/data"
  [ -f "$D/SHA256SUMS" ] && cp "$D/SHA256SUMS" "$OUT/data/"
  for n in ${DATA//,/ }; do
    [ -d "$D/$n" ] || die "--data $n: no folder $D/$n"
    mkdir -p "$OUT/data/$n"; cp "$D/$n"/*.txt "$OUT/data/$n/" 2>/dev/null || cp -r "$D/$n/." "$OUT/data/$n/"
  done
fi
cp "$ROOT/environment/gpu/bundle-runner.sh" "$OUT/bin/seqcl"
cp "$ROOT/environment/runtime-env.sh" "$OUT/bin/runtime-env.sh"
cp "$ROOT/environment/gpu/build-djl-jni.sh" "$OUT/bin/build-jni"
chmod +x "$OUT/bin/seqcl" "$OUT/bin/build-jni"
DJLV="$(unzip -p "$OUT"/lib/api-*.jar META-INF/MANIFEST.MF 2>/dev/null | sed -n 's/^Implementation-Version: *//p' | tr -d '\r')"
cat > "$OUT/README.txt" <<TXT
seqcl bundle, made $(date -u +%Y-%m-%dT%H:%MZ) from $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
DJL ${DJLV:-?}; JRE: jlink image of $(java -version 2>&1 | head -1)
  bin/seqcl --help       how to point it at a libtorch (no libtorch is included)
  bin/build-jni --help   build DJL's JNI library (jni/libdjl_torch.so) against that libtorch
TXT
echo "${DJLV:-0.32.0}" > "$OUT/DJL_API_VERSION"
BYTES="$(du -sb "$OUT" | cut -f1)"
mib() { awk "BEGIN{printf \"%.1f\", $1/1048576}"; }
echo "bundle folder $OUT: $(mib "$BYTES") MiB unpacked (jre $(du -sh "$OUT/jre" | cut -f1), lib $(du -sh "$OUT/lib" | cut -f1)$( [ -d "$OUT/djl-jni-src" ] && echo ", djl-jni-src $(du -sh "$OUT/djl-jni-src" | cut -f1)"))"
if [ "$ARCHIVE" = 1 ]; then
  echo "archiving (xz -6) ..."
  tar -C "$(dirname "$OUT")" -cf - "$(basename "$OUT")" | xz -T0 -6 > "$OUT.tar.xz.tmp" && mv "$OUT.tar.xz.tmp" "$OUT.tar.xz"
  A="$(stat -c %s "$OUT.tar.xz")"
  echo "bundle archive $OUT.tar.xz: $(mib "$A") MiB (the form to carry; limit $LIMIT_MIB MiB)"
  [ "$A" -lt $((LIMIT_MIB * 1048576)) ] || die "bundle archive is $A bytes, over $LIMIT_MIB MiB"
fi
