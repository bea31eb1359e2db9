#!/usr/bin/env bash
# Builds on the real disk (issue 16): gongkai beside Hugo (and Zola, when `zola`
# is on PATH or $ZOLA names it) on the 120 × 70 archive (html view), alternating
# run by run: the first build into an empty folder, a rebuild after a one-item
# edit and a rebuild with nothing changed, each into the previous output. Prints
# every run and the medians. Zola is not packaged: build it from its source
# (github:getzola/zola, `cargo build --release`).
#
# usage: scripts/bench-rebuild.sh [RUNS] [WORK]   (WORK must be on the disk, not tmpfs)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
peer=$here/../shared/peerbench
runs=${1:-5} work=${2:-/work/bench-rebuild}
gk=$here/target/release/gongkai
rm -rf "$work"; mkdir -p "$work"; trap 'rm -rf "$work"' EXIT
df -T "$work" | tail -1
python3 "$peer/gen.py" "$work/content" --months 120 --items 70 >/dev/null
printf 'views: [html]\n' >> "$work/content/site.yaml"
python3 "$peer/make_site.py" hugo "$work/content" "$work/hugo"
zola=${ZOLA:-$(command -v zola || true)}
if [ -n "$zola" ]; then python3 "$peer/make_site.py" zola "$work/content" "$work/zola"; fi
t() { /usr/bin/time -f %e -o "$work/t" "$@" >/dev/null 2>&1; cat "$work/t"; }
hugo_build() { (cd "$work/hugo" && t hugo --quiet -d "$work/hugo-out"); }
gk_build() { t "$gk" build --content "$work/content" --output "$work/gk-out"; }
# Zola has no incremental build: --force builds into the existing folder.
zola_build() { if [ -n "$zola" ]; then (cd "$work/zola" && t "$zola" build -o "$work/zola-out" --force); else echo -; fi; }
month=$(ls "$work/content" | grep -E '^[0-9]{4}-[0-9]{2}$' | sort | sed -n 60p)
item=$month/$(ls "$work/content/$month" | grep -v _index | sort | sed -n 7p)
echo "edited item: $item"
: > "$work/log"
for i in $(seq "$runs"); do
  rm -rf "$work/hugo-out" "$work/gk-out" "$work/.gk-out.gongkai-spare" "$work/zola-out"; sync
  echo "first $(hugo_build) $(gk_build) $(zola_build)" | tee -a "$work/log"
done
for i in $(seq "$runs"); do
  for f in "$work/content/$item" "$work/hugo/content/$item" "$work/zola/content/$item"; do
    [ -f "$f" ] && printf '\n补充说明第%s次。\n' "$i" >> "$f"
  done
  echo "edit $(hugo_build) $(gk_build) $(zola_build)" | tee -a "$work/log"
  echo "same $(hugo_build) $(gk_build) $(zola_build)" | tee -a "$work/log"
done
median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
for kind in first edit same; do
  h=$(awk -v k=$kind '$1==k {print $2}' "$work/log" | median)
  g=$(awk -v k=$kind '$1==k {print $3}' "$work/log" | median)
  z=$(awk -v k=$kind '$1==k {print $4}' "$work/log" | median)
  echo "median $kind: hugo $h s, gongkai $g s, ratio $(echo "scale=3; $g / $h" | bc); zola $z s"
done
printf '\n%s\n' "--timings, one-item edit:"
printf '\n补充说明。\n' >> "$work/content/$item"
"$gk" build --content "$work/content" --output "$work/gk-out" --timings --changes "$work/changes" 2>&1 | tail -20
wc -l < "$work/changes"
printf '\n%s\n' "--timings, first build into an empty folder:"
rm -rf "$work/gk-out" "$work/.gk-out.gongkai-spare"; sync
"$gk" build --content "$work/content" --output "$work/gk-out" --timings 2>&1 | tail -20
