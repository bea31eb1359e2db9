#!/usr/bin/env bash
# Lighthouse on a built site, served as static files (issue 32): every page kind
# in the html, print and mobile views, with 长者模式 off and on, RUNS times each;
# prints each page's median cumulative layout shift and the four category scores.
# Lighthouse's defaults: mobile emulation, simulated throttling (slow 4G, CPU ×4).
#
# Lighthouse is not a dependency of the project: install it outside the
# repository once (`mkdir -p /tmp/lh && cd /tmp/lh && npm i lighthouse@12`) and
# point LH at that folder. It runs Debian's chromium (CHROME_PATH), never a
# downloaded one. 长者模式 "on" is a chromium profile whose localStorage holds
# it (copied fresh for each run), kept with --disable-storage-reset.
#
# It writes one file into PUBLIC for that (.lighthouse-elder.html) and removes it.
#
# usage: scripts/lighthouse.sh PUBLIC [RUNS] [OUT.tsv]    (env: LH=/tmp/lh PORT=8932)
set -euo pipefail
public=$(cd "$1" && pwd) runs=${2:-3} out=${3:-/dev/stdout}
lh=${LH:-/tmp/lh} port=${PORT:-8932}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
flags="--headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run"
work=$(mktemp -d)
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$public" >/dev/null 2>&1 &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 50); do curl -fs "$base/" >/dev/null && break; sleep 0.1; done

# One page of each kind: the first link of its kind on the page that lists them.
first() { grep -o "href=\"[^\"]*$2[^\"]*\"" "$public/$1" | head -1 | sed -e 's/^href="//' -e 's/"$//' -e 's#^\(\.\./\)*##' -e 's/index.html$//'; }
month=$(ls "$public" | grep -E '^[0-9]{4}-[0-9]{2}$' | sort | tail -1)
item=$(ls -d "$public/$month"/*/ | grep -v problems | head -1 | sed "s#^$public/##")
pages="home:
month:$month/
item:$item
project:$(first projects/index.html projects/[^\"/]*/)
department:$(first departments/index.html departments/[^\"/]*/)
leader:$(first leaders/index.html leaders/[^\"/]*/)
problems:$month/problems/
search:search/"

# A profile whose localStorage has 长者模式 on for this origin.
elder=$work/elder-profile
mkdir -p "$elder"
printf '<script>localStorage.setItem("gongkai", JSON.stringify({elder: true}))</script>' > "$public/.lighthouse-elder.html"
$CHROME_PATH $flags --user-data-dir="$elder" --dump-dom "$base/.lighthouse-elder.html" >/dev/null 2>&1
rm -f "$public/.lighthouse-elder.html"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'page\tview\telder\tCLS\tperformance\taccessibility\tbest-practices\tseo\n' > "$out"
echo "$pages" | while IFS=: read -r kind path; do
  for view in "" print/ m/; do
    for mode in off on; do
      for r in $(seq "$runs"); do
        # A fresh copy each run, so no run starts with another's cache.
        extra=""
        if [ "$mode" = on ]; then rm -rf "$work/run"; cp -r "$elder" "$work/run"; extra="--user-data-dir=$work/run"; fi
        rm -f "$work/r$r.json"
        # Lighthouse now and then loses its page ("Session closed"): try again, twice.
        for try in 1 2 3; do
          "$lh/node_modules/.bin/lighthouse" "$base/$view$path" --quiet --output=json \
            --output-path="$work/r$r.json" --disable-storage-reset \
            --chrome-flags="$flags $extra" >"$work/log" 2>&1 && break
          rm -f "$work/r$r.json"
          if [ "$try" = 3 ]; then cat "$work/log" >&2; exit 1; fi
        done
      done
      line=$(for r in $(seq "$runs"); do
        node -e 'const r = require(process.argv[1]); const c = r.categories;
          console.log([r.audits["cumulative-layout-shift"].numericValue, c.performance.score, c.accessibility.score,
            c["best-practices"].score, c.seo.score].join(" "))' "$work/r$r.json"
      done)
      cols=""
      for i in 1 2 3 4 5; do cols="$cols	$(echo "$line" | awk -v i=$i '{print $i}' | median)"; done
      printf '%s\t%s\t%s%s\n' "$kind" "${view:-html}" "$mode" "$cols" >> "$out"
    done
  done
done
