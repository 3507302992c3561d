#!/bin/bash
# Controller peak RSS of a full sweep on an N-host lab (default 50), builds
# side by side in one lab: each argument is a checkout whose dist/ is built.
# Each build runs as a user runs it: through its bin's shebang (the node flags
# there count), with --json and the run history written.
#   flock /tmp/ece-lab.lock bench/rss-bench.sh [-n 50] [-r 2] /tmp/before /work/main
# Prints a Markdown table: build, round, peak RSS MB, wall s, CPU s, verdict.
set -u
N=50 ROUNDS=2
while getopts "n:r:" o; do case $o in n) N=$OPTARG ;; r) ROUNDS=$OPTARG ;; *) exit 5 ;; esac; done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-n hosts] [-r rounds] CHECKOUT..." >&2; exit 5; }
HERE=$(cd "$(dirname "$0")/.." && pwd)
LAB=/tmp/ecerss-lab OUT=/tmp/ecerss-out
echo "loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
node "$HERE/dist/cli/bin.js" lab up "$N" --prefix ecerss --dir "$LAB" >/tmp/ecerss-labup.log 2>&1 || { echo "lab up failed:"; tail -5 /tmp/ecerss-labup.log; exit 1; }
trap 'node "$HERE/dist/cli/bin.js" lab down --prefix ecerss --dir "$LAB" >/dev/null 2>&1' EXIT
echo
echo "| build | round | peak RSS MB | wall s | CPU s (user+sys) | verdict |"
echo "|---|---:|---:|---:|---:|---|"
for round in $(seq "$ROUNDS"); do
  for build in "$@"; do
    rm -rf "$OUT" && mkdir -p "$OUT"
    /usr/bin/time -f "%M %e %U %S" -o "$OUT/time" "$build/dist/cli/bin.js" sweep -i "$LAB/inventory.yml" --no-tui \
      --state-dir "$OUT/state" --json "$OUT/run.json" >"$OUT/log" 2>&1
    read -r kb wall user sys < <(tail -1 "$OUT/time")
    verdict=$(grep -o -m1 'PASSED\|FAILED\|INCOMPLETE' "$OUT/log" || echo "exit? see $OUT/log")
    awk -v b="$build ($(git -C "$build" rev-parse --short HEAD))" -v r="$round" -v kb="$kb" -v w="$wall" -v u="$user" -v s="$sys" -v v="$verdict" \
      'BEGIN { printf "| %s | %d | %.0f | %s | %.2f | %s |\n", b, r, kb / 1024, w, u + s, v }'
  done
done
echo
echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
