#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's
# image: lkmlab, its host packages, the kernel and a saved guest go into
# the image (prepare.sh). Written by `lkmlab platform gradescope`.
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
