#!/usr/bin/env bash
# The manual's pictures (docs/pictures/*.png), made from real runs so they can
# be made again whenever the pages change: the preview of the real July report,
# the error overlay the preview shows over a page while a file is broken, the
# print view and the mobile view, each a headless chromium screenshot.
#   scripts/manual-pictures.sh        (needs chromium: apt-get install chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
bin=$PWD/target/release/gongkai
out=$PWD/docs/pictures
work=$(mktemp -d)
trap 'kill $serve 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r content "$work/content"
cd "$work"
shot() { # shot FILE WIDTH HEIGHT URL
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --no-first-run --hide-scrollbars --user-data-dir="$work/profile" \
        --force-device-scale-factor=1 --window-size="$2,$3" \
        --timeout=5000 --screenshot="$out/$1" "$4" >/dev/null 2>&1
    echo "docs/pictures/$1"
}
"$bin" serve --port 0 2>serve.log &
serve=$!
for _ in $(seq 100); do grep -q 'http://127.0.0.1:' serve.log && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*/' serve.log | head -1)
shot preview.png 1280 900 "${url}2020-07/"
shot print.png 1000 1300 "${url}print/2020-07/"
shot mobile.png 390 844 "${url}m/2020-07/"
# A clerk's commonest slip: a Chinese colon in an item's front matter.
sed -i 's/^department: /department：/' content/2020-07/02.md
sleep 1
shot overlay.png 1280 900 "${url}2020-07/02/"
