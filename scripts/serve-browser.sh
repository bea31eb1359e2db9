#!/usr/bin/env bash
# The preview as an editor's browser sees it (issue 15), on the 120-month ×
# 70-item archive in chromium: save → the reloaded page's load event,
# navigation beside a plain static server, 64 kept-alive clients while edits
# land. See examples/serve-browser.rs.
#
# usage: scripts/serve-browser.sh [--saves N]
# Needs chromium (/usr/bin/chromium) and shared/peerbench beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin gongkai --example serve-browser
if [ -d /dev/shm ]; then work=$(mktemp -d -p /dev/shm); else work=$(mktemp -d); fi
trap 'rm -rf "$work"' EXIT
python3 ../shared/peerbench/gen.py "$work/content" >/dev/null
target/release/examples/serve-browser "$work/content" "$@"
