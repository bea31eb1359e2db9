#!/usr/bin/env bash
# The other systems gongkai ships for, checked on this x86_64 Linux machine
# (issue 26): builds the release binaries for Windows (mingw-w64) and ARM64
# Linux (gcc-aarch64-linux-gnu), then runs tests/it/cross.rs, which runs the
# .exe under Wine and the ARM64 binary under qemu-user. Installs what it needs
# on Debian when run as root (CI); elsewhere install them first:
#   apt-get install mingw-w64 wine64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
#   rustup target add x86_64-pc-windows-gnu aarch64-unknown-linux-gnu
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq mingw-w64 wine64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user >/dev/null
fi
rustup target add x86_64-pc-windows-gnu aarch64-unknown-linux-gnu
# The linkers are named in .cargo/config.toml.
cargo build --release --locked --target x86_64-pc-windows-gnu
cargo build --release --locked --target aarch64-unknown-linux-gnu
# The Windows lint: the code for Windows is compiled nowhere else.
cargo clippy --locked --all-targets --target x86_64-pc-windows-gnu -- -D warnings
cargo test --locked --test it cross:: -- --ignored
