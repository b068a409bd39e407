#!/usr/bin/env bash
# A/B detect timing on one 1M-row co-retweet file: an earlier commit (default: the start of
# stop 17, 1031c53) against the working tree, same data, alternating runs, seconds per run.
# Usage: bash bench/ab_detect.sh [BEFORE_COMMIT] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${1:-1031c53}
RUNS=${2:-5}
WORK=${TMPDIR:-/tmp}/lockstep-ab
mkdir -p "$WORK"
[ -d "$WORK/before" ] || git worktree add -q "$WORK/before" "$BEFORE"
[ -f "$WORK/1m.csv" ] || .venv/bin/python bench/gen_coretweet.py "$WORK/1m.csv" --actions 1000000 --seed 42 >/dev/null
export LOCKSTEP_THREADS=2
old() { env PYTHONPATH="$WORK/before/src" .venv/bin/python -m lockstep.cli.main "$@"; }
new() { .venv/bin/python -m lockstep.cli.main "$@"; }
OLDSIG="co_repost,co_link,co_text,co_reply,co_hashtag_sequence,fast_repost,co_repost_author"
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
for v in old new; do
  rm -rf "$WORK/ws_$v"
  echo "ingest $v $(t $v ingest "$WORK/1m.csv" --workspace "$WORK/ws_$v" --format coortweet)"
done
for i in $(seq "$RUNS"); do
  echo "cnt before $(t old detect --workspace "$WORK/ws_old" --out "$WORK/c_old" --preset cnt)"
  echo "cnt after $(t new detect --workspace "$WORK/ws_new" --out "$WORK/c_new" --preset cnt)"
  echo "default before $(t old detect --workspace "$WORK/ws_old" --out "$WORK/o_old" --no-roles)"
  echo "default-old-signals after $(t new detect --workspace "$WORK/ws_new" --out "$WORK/o_new" --no-roles --signals $OLDSIG)"
  echo "default after $(t new detect --workspace "$WORK/ws_new" --out "$WORK/o_new2" --no-roles)"
done
cmp <(sort "$WORK/c_old/edges.csv") <(sort "$WORK/c_new/edges.csv") && echo "cnt edges identical"
cmp <(cut -d, -f1-6 "$WORK/o_old/edges.csv" | sort) <(cut -d, -f1-6 "$WORK/o_new/edges.csv" | sort) \
  && echo "default edges (old signal list) identical in their first six columns"
