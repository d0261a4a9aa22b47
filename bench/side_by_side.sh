#!/usr/bin/env bash
# The peers' side-by-side harness (../shared/peers/parley/bench.sh) on a snapshot of HEAD.
#
#   bash bench/side_by_side.sh LABEL [KNOB=VALUE ...]
#   bash bench/side_by_side.sh quick RUNS=1 WRK_DURATION=4 PHASES=read,post
#
# The harness measures the checkout it is given in place and starts its servers from it for
# the whole run (up to 45 minutes): a snapshot (`git archive HEAD`, sharing this .venv) keeps
# edits made meanwhile out of the measurement. Results go to /tmp/parley-bench/results/LABEL
# (never into ../shared, which the harness would write to when it can), servers' logs and
# databases to /tmp/parley-bench/work/LABEL, the log to /tmp/parley-bench/LABEL.log. Ports are
# moved off the harness's defaults so another checkout's run on the same machine does not
# collide (override with PARLEY_PORT_BASE, ISSO_PORT, HELLO_PORT).
set -euo pipefail
label=${1:?usage: bash bench/side_by_side.sh LABEL [KNOB=VALUE ...]}
shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
harness=$(cd "$here/.." && pwd)/shared/peers/parley/bench.sh
base=${PARLEY_BENCH_DIR:-/tmp/parley-bench}
src=$base/$label/src
rm -rf "${base:?}/$label"
mkdir -p "$src"
git -C "$here" archive HEAD | tar -x -C "$src"
ln -s "$here/.venv" "$src/.venv"
cd "$src"
export RUN_ID=$label OUT_DIR=$base/results/$label WORK=$base/work PARLEY_SRC=$src PARLEY_REPO=$src
export PARLEY_PORT_BASE=${PARLEY_PORT_BASE:-28100} ISSO_PORT=${ISSO_PORT:-28090} HELLO_PORT=${HELLO_PORT:-28300}
env "$@" bash "$harness" 2>&1 | tee "$base/$label.log"
