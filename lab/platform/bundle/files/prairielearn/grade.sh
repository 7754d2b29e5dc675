#!/usr/bin/env bash
# The entrypoint of PrairieLearn's external grader (info.json): lkmlab
# grades /grade/student against the question's assignment, in
# /grade/tests/lkmlab (its file named in /grade/tests/lkmlab/ASSIGNMENT;
# none: the six seed modules), and writes /grade/results/results.json.
# The staff report goes to stdout: the grading job's log, for staff.
# Written by `lkmlab platform prairielearn`; LKMLAB_PRAIRIELEARN_ROOT
# moves /grade (for tests).
set -uo pipefail

root="${LKMLAB_PRAIRIELEARN_ROOT:-/grade}"
export LKMLAB_PRAIRIELEARN_ROOT="$root"
export LKMLAB_CACHE="${LKMLAB_CACHE:-/var/lib/lkmlab}"
lkmlab="${LKMLAB_PREFIX:-/usr/local}/bin/lkmlab"

# A container without namespaces builds student code as nobody (see
# prepare.sh): the course's files are then made unreadable to nobody.
if [ "$(cat "$LKMLAB_CACHE/sandbox" 2>/dev/null)" = container ]; then
	export LKMLAB_SANDBOX=container
	chmod -R o-rwx "$root/tests" 2>/dev/null || true
	chmod o+x "$root"
fi

mkdir -p "$root/results"
args=(grade --format prairielearn --kernel "[%.Kernel%]" --out "$root/lkmlab")
if [ -f "$root/tests/lkmlab/ASSIGNMENT" ]; then
	args+=(--assignment "$root/tests/lkmlab/$(head -n 1 "$root/tests/lkmlab/ASSIGNMENT")")
fi
"$lkmlab" "${args[@]}" "$root/student"
status=$?
cat "$root"/lkmlab/students/*/report.md 2>/dev/null
exit "$status"
