#!/usr/bin/env python3
"""Rebuilds the archive submissions of tests/testdata/real2 from the
folders beside this script (hand-written, like everything in this corpus).

    python3 tests/testdata/real2/_packed/pack.py

The grader only sees the archives (../ana-souza.zip, ...); these folders
are their readable sources. What a course platform or an operating system
adds to a hand-in is made here, not kept as files: macOS metadata
(__MACOSX/._*, .DS_Store), a PDF report, screenshots, Windows paths with
backslashes, CRLF line ends and a UTF-8 byte order mark, Thumbs.db, a zip
inside a zip, a git repository (.git/) in a tarball, and a .tar.xz. Dates are fixed
so that a rebuild gives the same archives (all but the internals of the
.git/ folder in bruno-costa.tar.gz, which git writes with its own stamps).
"""
import gzip
import io
import os
import shutil
import struct
import subprocess
import tarfile
import tempfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
DATE = (2024, 9, 27, 23, 41, 10)  # the night before the due date
EPOCH = 1727480470


def files_under(root):
    """Relative slash paths of the files under root, sorted."""
    out = []
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            out.append(os.path.relpath(p, root).replace(os.sep, "/"))
    return sorted(out)


def read(root, rel):
    with open(os.path.join(root, rel), "rb") as f:
        return f.read()


def zip_entry(z, name, data):
    info = zipfile.ZipInfo(name, DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    z.writestr(info, data)


def png(width, height, shade):
    """A small grey PNG standing in for a screenshot."""
    def chunk(kind, body):
        c = struct.pack(">I", len(body)) + kind + body
        return c + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf(text):
    """A one-page PDF standing in for a written report."""
    stream = b"BT /F1 12 Tf 72 720 Td (" + text.encode() + b") Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def apple_double():
    """The ._ file macOS puts beside each file in a zip it makes: an
    AppleDouble header with an empty Finder info entry."""
    finder = b"\x00" * 32
    header = struct.pack(">II16sH", 0x00051607, 0x00020000, b"Mac OS X        ", 1)
    entry = struct.pack(">III", 9, 26 + 12, len(finder))
    return header + entry + finder


def ds_store():
    return b"\x00\x00\x00\x01Bud1" + b"\x00" * 56


def pack_ana():
    """Moodle hand-in made with macOS's Compress: one top folder, its
    __MACOSX/ shadow, a report and screenshots."""
    src = os.path.join(HERE, "ana-souza")
    with zipfile.ZipFile(os.path.join(OUT, "ana-souza.zip"), "w") as z:
        for rel in files_under(src):
            zip_entry(z, rel, read(src, rel))
        top = "lab1_ana_souza"
        zip_entry(z, top + "/report.pdf", pdf("Lab 1 report - Ana Souza"))
        for i, part in enumerate(["hello", "running", "heap", "ksp", "mapper", "size"]):
            zip_entry(z, "%s/screenshots/%s.png" % (top, part), png(64, 24, 40 + 30 * i))
        zip_entry(z, top + "/.DS_Store", ds_store())
        for rel in files_under(src) + [top + "/report.pdf"]:
            d, b = os.path.split(rel)
            zip_entry(z, "__MACOSX/%s/._%s" % (d, b), apple_double())


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="Bruno Costa", GIT_AUTHOR_EMAIL="bruno.costa@students.example.edu",
               GIT_COMMITTER_NAME="Bruno Costa", GIT_COMMITTER_EMAIL="bruno.costa@students.example.edu",
               GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_SYSTEM="/dev/null")
    subprocess.run(["git", "-c", "init.defaultBranch=main"] + list(args), cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def pack_bruno():
    """A tarball of a git working copy, .git/ and all."""
    src = os.path.join(HERE, "bruno-costa", "os-lab1")
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "os-lab1")
        shutil.copytree(src, repo)
        git(repo, "init", "-q")
        steps = [("2024-09-20T18:02:11", ["Makefile", ".gitignore", "hello.c"], "hello module"),
                 ("2024-09-24T21:30:45", ["lkm1.c", "lkm2.c", "lkm3.c", "test"], "running, heap and ksp"),
                 ("2024-09-27T23:12:03", ["lkm4.c", "lkm5.c", "README.md"], "mapper and size, README")]
        for date, paths, msg in steps:
            git(repo, "add", *paths)
            os.environ["GIT_AUTHOR_DATE"] = os.environ["GIT_COMMITTER_DATE"] = date
            git(repo, "commit", "-q", "-m", msg)
        os.makedirs(os.path.join(repo, ".vscode"))
        with open(os.path.join(repo, ".vscode", "settings.json"), "w") as f:
            f.write('{\n  "C_Cpp.default.includePath": ["/usr/src/linux-headers-6.1.0-25-amd64/include"]\n}\n')
        paths = ["os-lab1"]
        for dirpath, dirs, names in os.walk(repo):
            paths += [os.path.relpath(os.path.join(dirpath, n), tmp) for n in dirs + names]
        raw = io.BytesIO()
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
            for rel in sorted(paths):
                p = os.path.join(tmp, rel)
                ti = t.gettarinfo(p, rel)
                ti.uid = ti.gid = 1000
                ti.uname = ti.gname = "bruno"
                ti.mtime = EPOCH
                if ti.isfile():
                    with open(p, "rb") as f:
                        t.addfile(ti, f)
                else:
                    t.addfile(ti)
        with open(os.path.join(OUT, "bruno-costa.tar.gz"), "wb") as f:
            with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as g:
                g.write(raw.getvalue())


def pack_ines():
    """A zip whose only code is another zip: the student zipped the folder
    holding the archive she meant to upload."""
    src = os.path.join(HERE, "ines-garcia", "inner")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        for rel in files_under(src):
            zip_entry(z, rel, read(src, rel))
    with zipfile.ZipFile(os.path.join(OUT, "ines-garcia.zip"), "w") as z:
        top = "Ines_Garcia_Lab1"
        zip_entry(z, top + "/lab1.zip", inner.getvalue())
        zip_entry(z, top + "/LEEME.txt", "Lab 1 - Ines Garcia\nEl codigo esta en lab1.zip (un Makefile por ejercicio).\n")


def windows_text(data):
    """CRLF line ends and a UTF-8 byte order mark, as an editor on Windows saves."""
    return b"\xef\xbb\xbf" + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def pack_olga():
    """A zip written by an old Windows tool: backslashes in entry names,
    CRLF sources with a byte order mark, desktop.ini and Thumbs.db."""
    src = os.path.join(HERE, "olga-santos")
    with zipfile.ZipFile(os.path.join(OUT, "olga-santos.zip"), "w") as z:
        for rel in files_under(src):
            zip_entry(z, rel.replace("/", "\\"), windows_text(read(src, rel)))
        ini = "\ufeff[.ShellClassInfo]\r\nIconResource=C:\\Windows\\System32\\imageres.dll,-3\r\n"
        zip_entry(z, "Lab1\\desktop.ini", ini.encode("utf-16-le"))
        zip_entry(z, "Lab1\\Thumbs.db", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
        zip_entry(z, "Lab1\\Relatorio Lab1.pdf", pdf("Relatorio - Olga Santos"))


def pack_sofia():
    """A tar.xz, as tar's J flag makes it on a Linux desktop."""
    src = os.path.join(HERE, "sofia-lindqvist")
    with tarfile.open(os.path.join(OUT, "sofia-lindqvist.tar.xz"), "w:xz", format=tarfile.GNU_FORMAT) as t:
        for rel in ["lab1"] + ["lab1/" + r for r in files_under(os.path.join(src, "lab1"))]:
            ti = t.gettarinfo(os.path.join(src, rel), rel)
            ti.uid = ti.gid = 1000
            ti.uname = ti.gname = "sofia"
            ti.mtime = EPOCH
            if ti.isfile():
                with open(os.path.join(src, rel), "rb") as f:
                    t.addfile(ti, f)
            else:
                t.addfile(ti)


if __name__ == "__main__":
    pack_ana()
    pack_bruno()
    pack_ines()
    pack_olga()
    pack_sofia()
