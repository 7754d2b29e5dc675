#!/usr/bin/env bash
# Prepares a grader image for lkmlab, once, as root, when the platform
# builds the image (Gradescope's setup.sh, PrairieLearn's Dockerfile):
# installs lkmlab and the host packages it uses, fetches the kernel, and
# grades a warm-up module, which boots the guest and saves it. Each
# student's grade then starts from a restore of that saved guest.
# Written by `lkmlab platform`; LKMLAB_PREFIX and LKMLAB_CACHE move where
# lkmlab and its cache go (run_autograder and the entrypoint read the same).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="${LKMLAB_PREFIX:-/usr/local}"
export LKMLAB_CACHE="${LKMLAB_CACHE:-/var/lib/lkmlab}"
kernel="[%.Kernel%]"

install -D -m 0755 "$here/lkmlab" "$prefix/bin/lkmlab"
lkmlab="$prefix/bin/lkmlab"
"$lkmlab" version
"$lkmlab" setup --for boot,fetch,build-modules,grade
"$lkmlab" kernel --kernel "$kernel" >/dev/null

# Student code is built inside bubblewrap, which needs namespaces the
# container may forbid (Docker's default seccomp profile refuses unshare
# without CAP_SYS_ADMIN). There, builds run as the user nobody instead
# (LKMLAB_SANDBOX=container: the container is the sandbox); the choice is
# kept for run_autograder and the entrypoint, which also make the course's
# own files unreadable to nobody.
sandbox=bubblewrap
if ! bwrap --ro-bind / / --unshare-all --die-with-parent true 2>/dev/null; then
	echo "prepare: bubblewrap cannot create namespaces in this container; student code will be built as the user nobody (LKMLAB_SANDBOX=container)" >&2
	sandbox=container
	export LKMLAB_SANDBOX=container
fi
mkdir -p "$LKMLAB_CACHE"
echo "$sandbox" >"$LKMLAB_CACHE/sandbox"

# The warm-up: a module lkmlab writes, graded as a student's would be
# (sandboxed build, a VM from the kernel's saved guest, made now).
warm="$(mktemp -d)"
chmod 0755 "$warm" # a container build (as nobody) must reach its folder
trap 'rm -rf "$warm"' EXIT
mkdir "$warm/sub"
"$lkmlab" new --in "$warm/sub" warmup
cat >"$warm/assignment.yaml" <<'YAML'
name: warmup
tasks:
  - name: warmup
    files: [warmup.c]
    spec: sub/warmup/spec.yaml
    points: {build: 1, load: 1, output: 1, unload: 1}
YAML
"$lkmlab" grade --kernel "$kernel" --assignment "$warm/assignment.yaml" --out "$warm/grades" "$warm/sub"
# grades.csv: a header naming the columns, then the warm-up's row.
if ! awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
	NR == 2 && $col["max"] > 0 && $col["total"] == $col["max"] { ok = 1 } END { exit !ok }' "$warm/grades/grades.csv"; then
	echo "prepare: the warm-up module did not pass; its report:" >&2
	cat "$warm"/grades/students/*/report.md >&2
	exit 1
fi
echo "prepare: lkmlab is ready: kernel $kernel fetched, its guest saved in $LKMLAB_CACHE"
