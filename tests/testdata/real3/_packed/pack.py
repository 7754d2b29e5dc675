#!/usr/bin/env python3
"""Rebuilds the archive submissions of tests/testdata/real3 from the
folders beside this script (hand-written, like everything in this corpus).

    python3 tests/testdata/real3/_packed/pack.py

The grader only sees the archives (../isabel-moreno.zip,
../nadia-saleh.tar.gz); these folders are their readable sources. Dates,
owners and modes are fixed so that a rebuild gives the same bytes.
"""
import gzip
import io
import os
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
DATE = (2025, 3, 14, 22, 5, 36)  # the evening of the due date
EPOCH = 1741989936


def walk(root):
    """Relative slash paths of the folders and files under root, sorted,
    folders first within each folder (as zip -r and tar list them)."""
    out = []
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
        if rel != ".":
            out.append(rel + "/")
        for n in sorted(names):
            out.append((n if rel == "." else rel + "/" + n))
    return out


def mode(path):
    return 0o755 if os.access(path, os.X_OK) and not os.path.isdir(path) else (0o755 if os.path.isdir(path) else 0o644)


def pack_isabel():
    """zip -r on Linux: folder entries, Unix modes (run.sh executable)."""
    src = os.path.join(HERE, "isabel-moreno")
    with zipfile.ZipFile(os.path.join(OUT, "isabel-moreno.zip"), "w") as z:
        for rel in walk(src):
            p = os.path.join(src, rel)
            info = zipfile.ZipInfo(rel, DATE)
            info.create_system = 3  # Unix
            if rel.endswith("/"):
                info.external_attr = (0o40755 << 16) | 0x10
                z.writestr(info, b"")
                continue
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100000 | mode(p)) << 16
            with open(p, "rb") as f:
                z.writestr(info, f.read())


def pack_nadia():
    """tar czf nadia_lab1.tar.gz nadia_lab1/ (GNU tar, renamed on upload)."""
    src = os.path.join(HERE, "nadia-saleh")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
        for rel in walk(src):
            rel = rel.rstrip("/")
            p = os.path.join(src, rel)
            ti = t.gettarinfo(p, rel)
            ti.uid = ti.gid = 1000
            ti.uname = ti.gname = "nadia"
            ti.mtime = EPOCH
            ti.mode = mode(p)
            if ti.isfile():
                with open(p, "rb") as f:
                    t.addfile(ti, f)
            else:
                t.addfile(ti)
    with open(os.path.join(OUT, "nadia-saleh.tar.gz"), "wb") as f:
        with gzip.GzipFile(filename="nadia_lab1.tar", mode="wb", fileobj=f, mtime=EPOCH) as g:
            g.write(raw.getvalue())


if __name__ == "__main__":
    pack_isabel()
    pack_nadia()
