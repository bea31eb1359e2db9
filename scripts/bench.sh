#!/usr/bin/env bash
# Speed figures for BENCHMARKS.md (issue 6). Needs hugo (apt-get install -y hugo)
# for the side-by-side run and shared/peerbench beside the repository.
#
# usage: scripts/bench.sh [--runs N]
# Prints: peerbench html-only (gongkai vs hugo), all-views build, check, and the
# scaling table (time per item at 12, 60, 120, 240 months). Medians of N runs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
[ "${1:-}" = "--runs" ] && runs=$2
peer=../shared/peerbench
cargo build --release --quiet --bin gongkai --example gen-archive
bin=$PWD/target/release/gongkai
gen=$PWD/target/release/examples/gen-archive
if [ -d /dev/shm ]; then work=$(mktemp -d -p /dev/shm); else work=$(mktemp -d); fi
trap 'rm -rf "$work"' EXIT

median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
# time_cmd NAME CMD...: median wall seconds and peak RSS (MiB) of CMD over $runs runs.
time_cmd() {
  local name=$1; shift
  local walls=() rss=() w m
  for _ in $(seq "$runs"); do
    rm -rf "$work/out"
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }
    read -r w m < "$work/time"; walls+=("$w"); rss+=("$m")
  done
  local mw mr
  mw=$(printf '%s\n' "${walls[@]}" | median); mr=$(printf '%s\n' "${rss[@]}" | median)
  printf '%-28s median wall %6.2f s   peak RSS %5d MiB\n' "$name" "$mw" $((mr / 1024))
  echo "$mw" > "$work/last"
}

echo "== peerbench: 120 months x 70 items, html view only (gongkai vs hugo)"
bash "$peer/run.sh" --runs "$runs" --gongkai "$bin build --content {content} --output {out}"

echo "== gongkai, same archive, all views + search, feeds, sitemap, open data"
python3 "$peer/gen.py" "$work/content" >/dev/null
time_cmd "build (all views)" "$bin" build --content "$work/content" --output "$work/out"
time_cmd "check" "$bin" check --content "$work/content"

echo "== scaling: time per item, all views (gen-archive, 70 items a month)"
printf '%8s %8s %10s %14s\n' months items "wall (s)" "per item (ms)"
for m in 12 60 120 240; do
  rm -rf "$work/scale"; "$gen" "$work/scale" --months "$m" --items 70 >/dev/null
  time_cmd "build $m months" "$bin" build --content "$work/scale" --output "$work/out" >/dev/null
  w=$(cat "$work/last")
  awk -v m="$m" -v w="$w" 'BEGIN { printf "%8d %8d %10.2f %14.3f\n", m, m*70, w, w*1000/(m*70) }'
done
