#!/usr/bin/env bash
# Install the peer tools that bench/bench_detect.py compares lockstep against, outside the
# repository (nothing here is committed, and no peer code is copied into lockstep):
#
#   $PEERS/cnt-venv      coordination-network-toolkit 1.5.2 from PyPI (+ coordinationz if it installs)
#   $PEERS/R-lib         private R library: tidytable, RcppSimdJson, CooRTweet built from source
#   $PEERS/src           the source tarballs those were built from
#
# CooRTweet's other R imports come from Debian (r-cran-*). CRAN is not used. The three
# packages Debian lacks are built with `R CMD INSTALL` from a `git archive` of a local git
# mirror of their GitHub repositories; point SRC_MIRRORS at a folder holding
# <owner>+<name>/repo mirrors (or at plain clones named the same way), or put ready
# tarballs named CooRTweet.tar.gz, tidytable.tar.gz, RcppSimdJson.tar.gz in $PEERS/src.
#
# Pinned revisions (why these):
#   CooRTweet   d31a008e  2.1.3, the commit that produced shared/data/peers/coortweet
#   tidytable   v0.10.0   newest release that accepts Debian bookworm's data.table 1.14.8,
#                         rlang 1.0.6 and vctrs 0.5.2 (v0.11.2+ needs data.table >= 1.16)
#   RcppSimdJson edf85b2  0.1.11 (simdjson 3.1.8), last commit before the 2024-07 bundle update
#
# Usage: bash bench/setup_peers.sh            (idempotent; re-running skips what is there)
# Verify: Rscript bench/peers/coortweet_run.R on russian_coord_tweets gives 2,110 nodes and
# 3,721 edges (the script does that at the end when the data is present).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)  # the folder that holds the repository and ../shared
PEERS=${PEERS:-$ROOT/peers}
SRC_MIRRORS=${SRC_MIRRORS:-$ROOT/.mirror}
mkdir -p "$PEERS/src" "$PEERS/R-lib"

# --- coordination-network-toolkit (and coordinationz) -------------------------------
if [ ! -x "$PEERS/cnt-venv/bin/compute_networks" ]; then
  python3 -m venv "$PEERS/cnt-venv"
  "$PEERS/cnt-venv/bin/pip" install --quiet coordination-network-toolkit==1.5.2
fi
if ! "$PEERS/cnt-venv/bin/python" -c "import coordinationz" 2>/dev/null; then
  "$PEERS/cnt-venv/bin/pip" install --quiet coordinationz==0.2.2 \
    || echo "note: coordinationz did not install; the benchmark runs without it"
fi

# --- R and the Debian-packaged imports of CooRTweet ---------------------------------
DEBS="r-base-core r-base-dev r-cran-data.table r-cran-igraph r-cran-glue r-cran-lifecycle
      r-cran-magrittr r-cran-pillar r-cran-rlang r-cran-tidyselect r-cran-vctrs r-cran-lubridate
      r-cran-stringi r-cran-rcpp r-cran-timechange r-cran-bit64"
missing=$(for d in $DEBS; do dpkg -s "$d" >/dev/null 2>&1 || echo "$d"; done)
if [ -n "$missing" ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# --- source tarballs of the packages Debian lacks -----------------------------------
archive() {  # name owner+repo revision
  local name=$1 mirror=$2 rev=$3 tgz="$PEERS/src/$1.tar.gz" gitdir
  [ -s "$tgz" ] && return 0
  for gitdir in "$SRC_MIRRORS/$mirror/repo" "$SRC_MIRRORS/$mirror/.git" "$SRC_MIRRORS/$mirror"; do
    if git --git-dir="$gitdir" rev-parse --verify -q "$rev^{commit}" >/dev/null 2>&1; then
      git --git-dir="$gitdir" archive --format=tar.gz --prefix="$name/" "$rev" > "$tgz"
      return 0
    fi
  done
  echo "error: no git mirror with $rev for $name under $SRC_MIRRORS/$mirror (see docs/peers.md)" >&2
  exit 1
}
archive tidytable markfairbanks+tidytable v0.10.0
archive RcppSimdJson eddelbuettel+rcppsimdjson edf85b2
archive CooRTweet nicolarighetti+CooRTweet d31a008e7a1d41645519aefea3917d9c3a741518

export MAKEFLAGS="-j$(nproc)"
for pkg in tidytable RcppSimdJson CooRTweet; do
  if [ ! -d "$PEERS/R-lib/$pkg" ]; then
    R_LIBS="$PEERS/R-lib" R CMD INSTALL --no-docs --no-html --no-multiarch -l "$PEERS/R-lib" \
      "$PEERS/src/$pkg.tar.gz"
  fi
done

# --- check -------------------------------------------------------------------------
RCT=$ROOT/shared/data/peers/coortweet/russian_coord_tweets.csv
if [ -f "$RCT" ]; then
  out=$(mktemp -d)
  R_LIBS="$PEERS/R-lib" TZ=UTC Rscript "$HERE/peers/coortweet_run.R" "$RCT" "$out" 60 2 0.5 | tee "$out/log"
  grep -q "nodes=2110 edges=3721" "$out/log" && echo "CooRTweet check: OK (2,110 nodes, 3,721 edges)" \
    || { echo "CooRTweet check FAILED" >&2; exit 1; }
  rm -rf "$out"
fi
"$PEERS/cnt-venv/bin/compute_networks" --help >/dev/null && echo "coordination-network-toolkit: OK"
echo "peers installed under $PEERS"
