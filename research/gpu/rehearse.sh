#!/bin/bash
# Rehearses a device script here, on CPU, as the GPU machine would run it:
# in a copy of the tracked files plus .gpu/ (what a call carries), with
# TensorFlow made unimportable, the JAX backend and a fresh $OUT; then checks
# what would come back against the device's limits (at most 8 files, 16 MiB
# each, 64 MiB together, no more than 2 folders down, plain names).
# Shrink the script's work with its own variables, e.g.
#   STEPS=2 bash research/gpu/rehearse.sh droplet_experiment.sh
#   DISTILL_MIN=0.5 bash research/gpu/rehearse.sh distill_lite.sh
# Run `python research/gpu/prepare_carry.py` first. Prints the folder it
# used (about 130 MB; delete it when done).
set -u
script=${1:?usage: rehearse.sh SCRIPT (a file in research/gpu/)}
[ -f "research/gpu/$script" ] || { echo "no research/gpu/$script"; exit 2; }
[ -d .gpu ] || { echo "no .gpu/: run python research/gpu/prepare_carry.py"; exit 2; }
work=$(mktemp -d /tmp/rehearse.XXXXXX)
mkdir -p "$work/repo" "$work/out"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work/repo"
# Archives travel packed; env.sh unpacks them there, so leave out what an
# earlier rehearsal or run unpacked here.
tar -cf - --exclude content/bsds500 --exclude assets/cats_vs_dogs .gpu \
  | tar -xf - -C "$work/repo"
echo "rehearsing $script in $work/repo"
(cd "$work/repo" && KERAS_BACKEND=jax PYTHONPATH="$PWD/research/gpu/no_tensorflow" \
  OUT="$work/out" bash "research/gpu/$script")
rc=$?
echo "exit status $rc; what would come back from $work/out:"
python3 - "$work/out" <<'EOF'
import pathlib
import re
import sys

out = pathlib.Path(sys.argv[1])
files = sorted(p for p in out.rglob("*") if p.is_file())
problems = []
for path in files:
    relative = path.relative_to(out)
    size = path.stat().st_size
    print(f"  {relative}  {size / 2**20:.2f} MiB")
    if len(relative.parts) > 3:
        problems.append(f"{relative}: more than 2 folders down")
    if any(not re.fullmatch(r"[A-Za-z0-9._-]+", part) for part in relative.parts):
        problems.append(f"{relative}: a name with other characters")
    if size > 16 * 2**20:
        problems.append(f"{relative}: over 16 MiB")
if len(files) > 8:
    problems.append(f"{len(files)} files, at most 8 come back")
if sum(p.stat().st_size for p in files) > 64 * 2**20:
    problems.append("over 64 MiB together")
print("\n".join(problems) or "  within the limits")
sys.exit(1 if problems else 0)
EOF
limits=$?
[ "$rc" -eq 0 ] && [ "$limits" -eq 0 ]
