#!/usr/bin/env python3
"""Packs the release archives (issue 30): one per target, each holding the
binary, the manual, the licence, the third-party licence notices and an
example site, plus dist/SHA256SUMS. scripts/dist.sh builds the binaries first.

The same commit gives the same bytes: entries sorted, every time stamp the
commit's (SOURCE_DATE_EPOCH), owners and modes fixed, gzip without a name or
time. The notices come from `cargo metadata` for each target: every crate
compiled into the binary (normal dependencies, not build or dev ones), its
licence expression and the licence files its package ships.

usage: dist.py VERSION EPOCH TARGET...
"""

import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
LICENCE_FILES = ("LICENSE", "LICENCE", "COPYING", "NOTICE", "UNLICENSE", "COPYRIGHT")


def shipped_crates(target):
    """The packages compiled into the binary for `target`, sorted by name."""
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked",
             "--filter-platform", target],
            cwd=ROOT, check=True, capture_output=True,
        ).stdout
    )
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    packages = {p["id"]: p for p in meta["packages"]}
    seen, todo = set(), [meta["resolve"]["root"]]
    while todo:
        node = nodes[todo.pop()]
        for dep in node["deps"]:
            # Only what is linked into the program: no build scripts' or tests' crates.
            if any(k["kind"] is None for k in dep["dep_kinds"]) and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
    return sorted((packages[i] for i in seen), key=lambda p: (p["name"], p["version"]))


def notices(target):
    out = io.StringIO()
    crates = shipped_crates(target)
    out.write(
        f"第三方软件许可 / Third-party licences\n\n"
        f"gongkai for {target} is built from these {len(crates)} crates, each under "
        f"its own licence, given here with the licence files its package ships.\n"
    )
    for p in crates:
        out.write("\n" + "=" * 78 + "\n")
        out.write(f"{p['name']} {p['version']}\n")
        out.write(f"licence: {p.get('license') or '(none stated; see the files below)'}\n")
        if p.get("repository"):
            out.write(f"source: {p['repository']}\n")
        folder = Path(p["manifest_path"]).parent
        files = sorted(
            f for f in folder.iterdir()
            if f.is_file() and f.name.upper().startswith(LICENCE_FILES)
        )
        if not files:
            out.write("(the package ships no licence file: its licence is the expression above)\n")
        for f in files:
            out.write(f"\n--- {f.name} ---\n")
            out.write(f.read_text(encoding="utf-8", errors="replace").rstrip() + "\n")
    return out.getvalue().encode()


def tree(folder, prefix):
    """(archive path, bytes, executable) for every file under `folder`."""
    return [
        (f"{prefix}/{p.relative_to(folder).as_posix()}", p.read_bytes(), False)
        for p in sorted(folder.rglob("*")) if p.is_file()
    ]


def entries(version, target):
    exe = "gongkai.exe" if "windows" in target else "gongkai"
    base = f"gongkai-{version}-{target}"
    # The host (x86_64 Linux) binary is the plain `cargo build --release`.
    folder = "release" if target == "x86_64-unknown-linux-gnu" else f"{target}/release"
    binary = ROOT / "target" / folder / exe
    files = [(f"{base}/{exe}", binary.read_bytes(), True)]
    for name in ("README.md", "LICENSE", "LICENSE-MIT", "LICENSE-APACHE"):
        files.append((f"{base}/{name}", (ROOT / name).read_bytes(), False))
    for doc in ("使用手册.md", "REFERENCE.md"):
        files.append((f"{base}/{doc}", (ROOT / "docs" / doc).read_bytes(), False))
    files += tree(ROOT / "docs" / "pictures", f"{base}/pictures")  # the manual's
    files.append((f"{base}/THIRD-PARTY-LICENSES.txt", notices(target), False))
    # The example site: the real July 2020 report, ready for `gongkai build`.
    files += tree(ROOT / "content", f"{base}/example/content")
    return base, sorted(files)


def write_zip(path, files, epoch):
    stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot hold a time before 1980
    with zipfile.ZipFile(path, "w") as z:
        for name, data, executable in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            info.flag_bits |= 0x800  # names are UTF-8 (the manual's Chinese name)
            z.writestr(info, data)


def write_tar_gz(path, files, epoch):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, executable in files:
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), epoch
            info.mode = 0o755 if executable else 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            t.addfile(info, io.BytesIO(data))
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as g:
            g.write(raw.getvalue())


def main():
    version, epoch, targets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    DIST.mkdir(exist_ok=True)
    sums = []
    for target in targets:
        base, files = entries(version, target)
        if "windows" in target:
            path = DIST / f"{base}.zip"
            write_zip(path, files, epoch)
        else:
            path = DIST / f"{base}.tar.gz"
            write_tar_gz(path, files, epoch)
        sums.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n")
        print(f"{path.relative_to(ROOT)}: {len(files)} files, {path.stat().st_size} bytes")
    (DIST / "SHA256SUMS").write_text("".join(sorted(sums, key=lambda l: l.split()[1])))


if __name__ == "__main__":
    main()
