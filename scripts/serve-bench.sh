#!/usr/bin/env bash
# `gongkai serve` over kept-alive connections (issue 15), on the 120-month ×
# 70-item archive: 20 GETs on one connection (p50/p95, a page and the
# stylesheet in turn), ETag revalidation (304) and the Host check.
#
# usage: scripts/serve-bench.sh [--bin PATH]
# Needs shared/peerbench beside the repository (gen.py makes the archive).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/gongkai
if [ "${1:-}" = "--bin" ]; then bin=$2; else cargo build --release --quiet --bin gongkai; fi
# WORK=DIR puts the archive there (on the disk); by default tmpfs when there is one.
if [ -n "${WORK:-}" ]; then mkdir -p "$WORK"; work=$(mktemp -d -p "$WORK");
elif [ -d /dev/shm ]; then work=$(mktemp -d -p /dev/shm); else work=$(mktemp -d); fi
log=$work/serve.log
python3 ../shared/peerbench/gen.py "$work/content" >/dev/null
"$bin" serve --content "$work/content" --port 0 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 3000); do grep -q 'http://127.0.0.1:' "$log" && break; sleep 0.1; done
port=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f3)
python3 - "$port" <<'PY'
import socket, statistics, sys, time
port = int(sys.argv[1])

def conn():
    s = socket.create_connection(("127.0.0.1", port))
    return s, s.makefile("rb")

def get(s, f, path, host="127.0.0.1", extra=""):
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n".encode())
    status = int(f.readline().split()[1])
    headers = {}
    while True:
        line = f.readline().decode()
        if line == "\r\n":
            break
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    f.read(int(headers.get("content-length", "0")))
    return status, headers

paths = ["/2020-06/01/", "/static/gongkai.css"]
# Warm up on connections of their own: the first stylesheet waits for the
# first search index, feeds and open data (a slow build can pass the 30 s
# idle timeout meanwhile).
for p in paths:
    s, f = conn()
    get(s, f, p)
s, f = conn()
rounds = []
for r in range(5):
    times = []
    for i in range(20):
        t = time.perf_counter()
        assert get(s, f, paths[i % 2])[0] == 200
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    rounds.append((statistics.median(times), times[18]))
print("20 kept-alive GETs, 5 rounds: p50 %s ms, p95 %s ms" % (
    " ".join("%.2f" % a for a, _ in rounds), " ".join("%.2f" % b for _, b in rounds)))
status, h = get(s, f, "/static/gongkai.css")
t = time.perf_counter()
assert get(s, f, "/static/gongkai.css", extra=f"If-None-Match: {h['etag']}\r\n")[0] == 304
print("revalidated stylesheet: 304 in %.2f ms (Cache-Control: %s)" % ((time.perf_counter() - t) * 1000, h["cache-control"]))
for host, want in [("localhost:1", 200), ("attacker.example", 403)]:
    s2, f2 = conn()
    got = get(s2, f2, "/", host=host)[0]
    print(f"Host: {host} -> {got}")
    assert got == want
PY
