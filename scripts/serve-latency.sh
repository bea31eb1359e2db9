#!/usr/bin/env bash
# Preview latency for BENCHMARKS.md (issue 4): on the 120-month × 70-item
# archive, the time from saving one item to the open page's SSE `reload`
# event, beside the time a full `gongkai build` of the same archive takes.
#
# usage: scripts/serve-latency.sh [--saves N] [--interval MS]
# Needs shared/peerbench beside the repository (gen.py makes the archive).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin gongkai --example serve-latency
# tmpfs when there is one, so the disk is not what is measured.
if [ -d /dev/shm ]; then work=$(mktemp -d -p /dev/shm); else work=$(mktemp -d); fi
trap 'rm -rf "$work"' EXIT
python3 ../shared/peerbench/gen.py "$work/content"
target/release/examples/serve-latency "$work/content" "$@"
