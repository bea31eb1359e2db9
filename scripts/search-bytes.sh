#!/usr/bin/env bash
# Bytes a reader downloads per search query (issue 14), on the 120-month ×
# 70-item archive: for each query the files of its first page of results, at
# the most (manifest, term and position shards, the 20 largest doc shards
# among its matches), raw and gzipped, and the index's total size.
#
# usage: scripts/search-bytes.sh [WORK]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet --example search_bytes --bin gongkai
[ -d "$work/content" ] || python3 "$here/../shared/peerbench/gen.py" "$work/content" >/dev/null
"$here/target/release/gongkai" build --content "$work/content" --output "$work/public" --timings 2>&1 | grep -E '搜索索引|已生成'
queries=(工作 景区 东湖 樱花 还建 防汛 完成 法典 5人 10 樱花园 还建房 东湖绿道 完成率10% 地铁19号线 "樱花 还建" 防汛抗旱工作)
"$here/target/release/examples/search_bytes" "$work/content" "${queries[@]}" > "$work/plan.tsv"
python3 - "$work/public" "$work/plan.tsv" <<'PY'
import gzip, os, statistics, sys
pub, plan = sys.argv[1], sys.argv[2]
total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(pub, "search")) for f in fs)
print(f"index: {total} bytes")
raws, gzs = [], []
for line in open(plan, encoding="utf-8"):
    q, n, files = line.rstrip("\n").split("\t")
    data = [open(os.path.join(pub, f), "rb").read() for f in files.split()]
    raw = sum(map(len, data)); gz = sum(len(gzip.compress(d, 6)) for d in data)
    raws.append(raw); gzs.append(gz)
    print(f"{q}\t{n} items\t{len(data)} files\t{raw/1024:.0f} KB\t{gz/1024:.0f} KB gzipped")
print(f"median per query: {statistics.median(raws)/1024:.0f} KB, {statistics.median(gzs)/1024:.0f} KB gzipped; "
      f"max {max(raws)/1024:.0f} KB, {max(gzs)/1024:.0f} KB gzipped")
PY
