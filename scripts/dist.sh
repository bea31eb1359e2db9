#!/usr/bin/env bash
# Release archives (issue 30): dist/gongkai-<version>-<target>.zip (Windows) or
# .tar.gz, and dist/SHA256SUMS. Each holds the binary, the manual, the licence,
# the third-party licence notices (from Cargo.lock, scripts/dist.py) and an
# example site. The same commit gives the same archive bytes from the same
# binaries: time stamps are the commit's, entries sorted, owners fixed.
#
#   scripts/dist.sh              build the three release binaries, then pack
#   scripts/dist.sh --no-build   pack the binaries already under target/
#
# The cross builds need what scripts/cross-check.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(x86_64-unknown-linux-gnu x86_64-pc-windows-gnu aarch64-unknown-linux-gnu)
if [ "${1:-}" != "--no-build" ]; then
    # The host's build is the plain one (target/release), as the README builds it.
    cargo build --release --locked
    for t in "${targets[@]:1}"; do
        cargo build --release --locked --target "$t"
    done
fi
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
epoch=$(git log -1 --format=%ct)
python3 scripts/dist.py "$version" "$epoch" "${targets[@]}"
