#!/usr/bin/env python3
# Writes names-zoo.tar.gz for the hostile2 corpus (hand-made):
#   python3 tools/names_zoo.py CONTROL_DIR names-zoo.tar.gz
# CONTROL_DIR holds a correct hello.c and size.c (the corpus uses the ones
# in --max-file-bytes=1/). Beside them, under one top folder: names with a
# newline, terminal escapes, a right-to-left override, a leading "-", shell
# syntax, 240 characters, 120 folders deep; an absolute path, a ".." path,
# a hard link to /etc/passwd, a symbolic link to /etc/shadow, a character
# device and a named pipe, all named like C sources.
import io, sys, tarfile

src, out = sys.argv[1], sys.argv[2]
note = b'/* not a module */\n'

def regular(tf, name, data):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mode, ti.mtime = len(data), 0o644, 1700000000
    tf.addfile(ti, io.BytesIO(data))

def special(tf, name, kind, target=''):
    ti = tarfile.TarInfo(name)
    ti.type, ti.linkname, ti.mtime = kind, target, 1700000000
    if kind == tarfile.CHRTYPE:
        ti.devmajor, ti.devminor = 1, 3
    tf.addfile(ti)

with tarfile.open(out, 'w:gz', format=tarfile.GNU_FORMAT) as tf:
    for name in ('hello.c', 'size.c'):
        regular(tf, 'zoo/' + name, open(src + '/' + name, 'rb').read())
    for name in ('new\nline.c', '\x1b]0;owned\x07\x1b[2J.c', 'gnp.\u202ec',
                 '-rf --no-preserve-root.c', '$(reboot);`id`.c', 'L' * 240 + '.c',
                 '/'.join(['d'] * 120) + '/deep.c'):
        regular(tf, 'zoo/' + name, note)
    regular(tf, '/tmp/lkmlab-abs.c', note)
    regular(tf, 'zoo/../../lkmlab-dotdot.c', note)
    special(tf, 'zoo/passwd.c', tarfile.LNKTYPE, '/etc/passwd')
    special(tf, 'zoo/shadow.h', tarfile.SYMTYPE, '/etc/shadow')
    special(tf, 'zoo/null.c', tarfile.CHRTYPE)
    special(tf, 'zoo/fifo.c', tarfile.FIFOTYPE)
