#!/usr/bin/env python3
# Writes tar-tricks.tar for the hostile3 corpus (hand-made):
#   python3 tools/tar_tricks.py CONTROL_DIR tar-tricks.tar
# CONTROL_DIR holds a correct hello.c and size.c (the corpus uses _ctl/).
# Under one top folder "tt/":
#   size.c     the correct size module, a plain entry;
#   hello.c    the correct hello module as a GNU sparse entry whose size is
#              8 GiB: its 300-odd bytes of text, then a hole (GNU tar
#              writes it from a sparse file; the archive stays ~10 KB);
#   a name of one 300-byte component (past a file system's 255), a C file;
#   a PAX header whose path record is 600 KB long.
# Needs GNU tar (for --sparse) and a file system with holes.
import os, shutil, subprocess, sys, tarfile, tempfile, io

src, out = sys.argv[1], os.path.abspath(sys.argv[2])
note = b'/* not a module */\n'
work = tempfile.mkdtemp()
try:
    top = os.path.join(work, 'tt')
    os.mkdir(top)
    shutil.copy(os.path.join(src, 'size.c'), top)
    hello = os.path.join(top, 'hello.c')
    shutil.copy(os.path.join(src, 'hello.c'), hello)
    os.truncate(hello, 8 << 30)
    subprocess.run(['tar', '--format=gnu', '--sparse', '--owner=0', '--group=0', '--mtime=@1700000000',
                    '-C', work, '-cf', out, 'tt/size.c', 'tt/hello.c'], check=True)
finally:
    shutil.rmtree(work)

def regular(tf, name, data):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mode, ti.mtime = len(data), 0o644, 1700000000
    tf.addfile(ti, io.BytesIO(data))

with tarfile.open(out, 'a', format=tarfile.GNU_FORMAT) as tf:
    regular(tf, 'tt/' + 'N' * 300 + '.c', note)
with tarfile.open(out, 'a', format=tarfile.PAX_FORMAT) as tf:
    regular(tf, 'tt/' + 'p' * (600 << 10) + '.c', note)
