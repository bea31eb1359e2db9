#!/usr/bin/env bash
# Regenerates the README's pictures of the real July 2020 report in its three
# views: docs/view-html.png, docs/view-mobile.png, docs/view-print.png, and the
# toolbar with the 无障碍 tools on: docs/toolbar.png.
# Needs Debian's chromium and poppler-utils (pdftoppm), as .ci/run installs.
set -euo pipefail
cd "$(dirname "$0")/.."
site=target/screenshots-site
cargo run --quiet -- build --output "$site"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" "$@" 2>/dev/null
}
url() { echo "file://$PWD/$site/$1"; }
chrome --window-size=1280,1100 --screenshot=docs/view-html.png "$(url 2020-07/index.html)"
chrome --window-size=360,1300 --screenshot=docs/view-mobile.png "$(url m/2020-07/index.html)"
# The toolbar with 指读, 大鼠标, 十字线 and 大字幕 on: a page beside the site's
# pages (same file:// storage) switches them on as gongkai.js stores them.
cat > "$site/toolbar-on.html" <<'HTML'
<!DOCTYPE html><html lang="zh-CN"><title>toolbar</title><script>
localStorage.setItem("gongkai", JSON.stringify({ point: true, cursor: true, cross: true, caption: true }));
location.replace("2020-07/index.html");
</script></html>
HTML
chrome --window-size=1280,300 --virtual-time-budget=3000 --screenshot=docs/toolbar.png "$(url toolbar-on.html)"
rm "$site/toolbar-on.html"
# The print view as it comes out of a printer: the first A4 page of its PDF.
chrome --no-pdf-header-footer --print-to-pdf="$profile/print.pdf" "$(url print/2020-07/index.html)"
pdftoppm -f 1 -l 1 -r 90 -png -singlefile "$profile/print.pdf" docs/view-print
ls -l docs/view-*.png docs/toolbar.png
