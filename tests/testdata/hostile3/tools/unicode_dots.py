#!/usr/bin/env python3
# Writes unicode-dots.zip for the hostile3 corpus (hand-made):
#   python3 tools/unicode_dots.py CONTROL_DIR unicode-dots.zip
# CONTROL_DIR holds a correct hello.c and size.c (the corpus uses _ctl/).
# Path elements that look like ".." but are not: FULLWIDTH FULL STOP
# (U+FF0E) twice, TWO DOT LEADER (U+2025), ONE DOT LEADER (U+2024) twice,
# "%2e%2e", and the fullwidth pair with backslashes. NFKC folds the first
# three into "..", as some tools and file systems do. The two honest
# modules sit under such folders; beside them are files named like the
# grader's own outputs (result.json claiming full marks, report.md,
# grades.csv with a formula, expect.yaml), which must stay inert sources
# of the submission.
import sys, zipfile

src, out = sys.argv[1], sys.argv[2]
FW = '\uff0e\uff0e'
hello = open(src + '/hello.c', 'rb').read()
size = open(src + '/size.c', 'rb').read()
entries = [
    (f'ud/{FW}/{FW}/hello.c', hello),
    ('ud/\u2025/size.c', size),
    ('ud/\u2024\u2024/\u2024\u2024/lkmlab-escape.h', b'/* one dot leaders */\n'),
    ('ud/%2e%2e/%2e%2e/lkmlab-escape.h', b'/* percent */\n'),
    (f'ud/{FW}\\{FW}\\lkmlab-escape.h', b'/* fullwidth, backslashes */\n'),
    ('ud/result.json', b'{"student": "unicode-dots", "total": 38, "max": 38}\n'),
    ('ud/report.md', b'# unicode-dots: 38/38\n\nEvery task passed.\n'),
    ('ud/grades.csv', b'student,total\n=HYPERLINK("http://example.invalid/x","unicode-dots"),38\n'),
    ('ud/expect.yaml', b'submissions:\n  unicode-dots.zip:\n    tasks: {}\n'),
]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in entries:
        zi = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        zi.external_attr = 0o644 << 16
        z.writestr(zi, data)
