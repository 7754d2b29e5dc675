#!/usr/bin/env python3
# Writes deep-path.tar for the hostile3 corpus (hand-made):
#   python3 tools/deep_path.py CONTROL_DIR deep-path.tar [LEVELS]
# CONTROL_DIR holds a correct hello.c and size.c (the corpus uses _ctl/).
# Under one top folder "dp/": the two modules, then one small header
# LEVELS folders deep (default 1800: "d/d/.../d/deep.h", 3.6 KB of path,
# under the 4096 bytes of PATH_MAX with the grader's own prefix or not).
# The archive is 20 KB; each level costs a stager that creates and opens
# every folder of a path from the top again a pass over all the levels
# above it.
import io, sys, tarfile

src, out = sys.argv[1], sys.argv[2]
levels = int(sys.argv[3]) if len(sys.argv) > 3 else 1800

def regular(tf, name, data):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mode, ti.mtime = len(data), 0o644, 1700000000
    tf.addfile(ti, io.BytesIO(data))

with tarfile.open(out, 'w', format=tarfile.GNU_FORMAT) as tf:
    for name in ('hello.c', 'size.c'):
        regular(tf, 'dp/' + name, open(src + '/' + name, 'rb').read())
    regular(tf, 'dp/' + 'd/' * levels + 'deep.h', b'/* hostile3 deep-path: nothing here */\n')
