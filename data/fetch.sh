#!/usr/bin/env bash
# Downloads the processed benchmark files from their public GitHub repositories into
# ${SEQCL_DATA:-data}/<folder>/<file> and verifies them against data/SHA256SUMS.
# Run it on your own machine (it needs internet access); the tests never run it.
#
# Usage: data/fetch.sh [dataset ...]      datasets: beauty sports toys yelp clothing coat yahoo (default: all)
#        data/fetch.sh mclrec-checkpoint  the MCLRec authors' released Beauty model (3.5 MB, a RecBole state
#                                         dict) to $SEQCL_DATA/checkpoints/mclrec-beauty.pth; only when named.
#                                         Model weights: never commit it. Used by ImportedCheckpoints and the
#                                         MCLRec Table 3 notebook (SEQCL_CHECKPOINTS overrides the folder).
# Environment: SEQCL_DATA  target directory (default: data)
#              GIT_REF     branch or commit of the source repositories (default: HEAD = default branch)
set -u -o pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUMS="$SCRIPT_DIR/SHA256SUMS"
DEST="${SEQCL_DATA:-data}"
REF="${GIT_REF:-HEAD}"

MCLREC="QinHsiu/MCLRec"
IDEADL="recocrea/IDEADLRec"
ADVINFO="LehengTHU/AdvInfoNCE"

# dataset | target (folder/file under $DEST) | repository | path inside the repository
SOURCES="
beauty|amazon-beauty/Amazon_Beauty.txt|$MCLREC|dataset/Amazon_Beauty/Amazon_Beauty.txt
beauty|amazon-beauty/Amazon_Beauty.inter|$MCLREC|dataset/Amazon_Beauty/Amazon_Beauty.inter
sports|amazon-sports/Amazon_Sports_and_Outdoors.txt|$MCLREC|dataset/Amazon_Sports_and_Outdoors/Amazon_Sports_and_Outdoors.txt
toys|amazon-toys/Amazon_Toys_and_Games.txt|$MCLREC|dataset/Amazon_Toys_and_Games/Amazon_Toys_and_Games.txt
toys|amazon-toys/Toys.txt|$IDEADL|data/Toys.txt
yelp|yelp/Yelp.txt|$MCLREC|dataset/Yelp/Yelp.txt
clothing|amazon-clothing/Clothing.txt|$IDEADL|data/Clothing.txt
coat|coat/train.txt|$ADVINFO|data/coat/train.txt
coat|coat/valid.txt|$ADVINFO|data/coat/valid.txt
coat|coat/test_id.txt|$ADVINFO|data/coat/test_id.txt
coat|coat/test_ood.txt|$ADVINFO|data/coat/test_ood.txt
yahoo|yahoo.new/train.txt|$ADVINFO|data/yahoo.new/train.txt
yahoo|yahoo.new/valid.txt|$ADVINFO|data/yahoo.new/valid.txt
yahoo|yahoo.new/test_id.txt|$ADVINFO|data/yahoo.new/test_id.txt
yahoo|yahoo.new/test_ood.txt|$ADVINFO|data/yahoo.new/test_ood.txt
"

if command -v curl >/dev/null 2>&1; then
  download() { curl -fsSL --retry 3 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  download() { wget -q -O "$2" "$1"; }
else
  echo "error: neither curl nor wget is installed" >&2
  exit 2
fi
if ! command -v sha256sum >/dev/null 2>&1; then
  echo "error: sha256sum is not installed (coreutils)" >&2
  exit 2
fi

wanted() {
  [ "$#" -eq 0 ] && return 0
  local d="$1"; shift
  for w in "$@"; do [ "$w" = "$d" ] && return 0; done
  return 1
}

expected_sum() { awk -v f="$1" '$2 == f { print $1; exit }' "$SUMS"; }

failed=()
fetched=0
while IFS='|' read -r ds target repo path; do
  [ -z "$ds" ] && continue
  wanted "$ds" "$@" || continue
  # the checkpoint is not a dataset: fetched only when asked for by name
  [ "$ds" = "mclrec-checkpoint" ] && [ "$#" -eq 0 ] && continue
  out="$DEST/$target"
  mkdir -p "$(dirname "$out")"
  url="https://raw.githubusercontent.com/$repo/$REF/$path"
  echo "fetching $target  <-  $url"
  if ! download "$url" "$out.part"; then
    echo "  FAILED: download of $url" >&2
    rm -f "$out.part"; failed+=("$target (download)"); continue
  fi
  # files kept in Git LFS come back as small pointer files from raw.githubusercontent.com
  if head -c 40 "$out.part" | grep -q '^version https://git-lfs'; then
    lfs="https://media.githubusercontent.com/media/$repo/$REF/$path"
    echo "  Git LFS pointer; retrying $lfs"
    if ! download "$lfs" "$out.part"; then
      rm -f "$out.part"; failed+=("$target (LFS download)"); continue
    fi
  fi
  mv "$out.part" "$out"
  fetched=$((fetched + 1))
  want="$(expected_sum "$target")"
  got="$(sha256sum "$out" | awk '{print $1}')"
  if [ -z "$want" ]; then
    echo "  WARNING: $target has no entry in $SUMS (actual $got)"
  elif [ "$want" != "$got" ]; then
    echo "  FAILED: checksum of $out: expected $want, actual $got" >&2
    failed+=("$target (checksum)")
  else
    echo "  ok"
  fi
done <<< "$SOURCES"

cat <<'TXT'

ml-1m: not downloaded automatically. ml-1m/ml-1m.txt is derived from MovieLens-1M
(GroupLens, https://grouplens.org/datasets/movielens/1m/) via the interaction lists in the public
repository WHUIR/DiffuRec (datasets/data/ml-1m/dataset.pkl): items with < 5 interactions dropped, items
renumbered 1.. by first appearance, users in order, each line "user item item ..." in the source's
chronological order. Put the result at $SEQCL_DATA/ml-1m/ml-1m.txt; it must match SHA256SUMS.

KuaiRec and Tencent (AdvInfoNCE) are not fetched:
  KuaiRec: https://chongminggao.github.io/KuaiRec/ and https://github.com/chongminggao/KuaiRec
           (Gao et al., CIKM 2022); AdvInfoNCE's processed split is in LehengTHU/AdvInfoNCE data/kuairec2.
  Tencent: see the instructions of https://github.com/LehengTHU/AdvInfoNCE (dataset "tencent_synthetic").
TXT

echo
echo "verifying all present files against $SUMS"
if [ ! -d "$DEST" ]; then
  echo "FAILED: $DEST does not exist" >&2
  failed+=("no data directory")
elif (cd "$DEST" && sha256sum --quiet -c --ignore-missing "$SUMS"); then
  echo "all present files match"
else
  echo "FAILED: some files in $DEST do not match $SUMS (see above)" >&2
  failed+=("sha256sum -c")
fi

echo "fetched $fetched file(s) into $DEST"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "FAILURES:" >&2
  for f in "${failed[@]}"; do echo "  - $f" >&2; done
  exit 1
fi

# --- Collaborative-filtering datasets (AdvInfoNCE, io.seqcl.cf) ---------------------------------------------
# `data/fetch.sh coat yahoo` downloads the AdvInfoNCE splits above (LehengTHU/AdvInfoNCE data/coat, data/yahoo.new).
# Original public sources of the four AdvInfoNCE datasets, for citation and for rebuilding the splits:
#   Coat     Schnabel et al., "Recommendations as Treatments", ICML 2016:
#            https://www.cs.cornell.edu/~schnabts/mnar/
#   Yahoo!R3 Yahoo! Webscope "R3 - Yahoo! Music ratings for User Selected and Randomly Selected songs":
#            https://webscope.sandbox.yahoo.com/catalog.php?datatype=r (licence agreement required)
#   KuaiRec  Gao et al., CIKM 2022: https://kuairec.com/ and https://github.com/chongminggao/KuaiRec;
#            AdvInfoNCE's split: LehengTHU/AdvInfoNCE data/kuairec2 (its train.txt is not in the public snapshot)
#   Tencent  the "tencent_synthetic" split of https://github.com/LehengTHU/AdvInfoNCE (popularity-shifted
#            test_ood_1..3; train.txt not in the public snapshot). Not fetched, not registered in io.seqcl.cf.
