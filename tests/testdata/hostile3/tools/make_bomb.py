#!/usr/bin/env python3
# Writes make-bomb/Makefile for the hostile3 corpus (hand-made):
#   python3 tools/make_bomb.py make-bomb/Makefile [MODULES]
# A Makefile of ~120 KB that is plain data to make (make never runs it in
# lkmlab) but that lkmlab's own reader expands on the host: one simple
# variable of 15000 object names (60 KB, under the reader's 64 KB bound
# per expansion), and MODULES modules (default 2000) each of whose -objs
# list is that variable. Every expansion stays within the reader's
# bounds; their number does not. hello.o and size.o come first in obj-m,
# so the Makefile does build the two modules the folder holds.
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
lines = [
    '# hostile3 make-bomb: see ATTACK.md',
    'LOTS := ' + ' '.join(['part.o'] * 9000),
    'obj-m := hello.o size.o',
]
mods = [f'm{i}.o' for i in range(n)]
for i in range(0, n, 1000):
    lines.append('obj-m += ' + ' '.join(mods[i:i + 1000]))
for i in range(n):
    lines.append(f'm{i}-objs = $(LOTS)')
lines += ['', 'all:', '\t$(MAKE) -C /lib/modules/$(shell uname -r)/build M=$(PWD) modules', '']
open(out, 'w').write('\n'.join(lines))
