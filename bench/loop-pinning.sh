#!/bin/bash
# Is the controller's event-loop stall at probe start its own work, or CPU
# starvation by the lab's agents (lab hosts run on the same cores)? One
# 50-host lab with everything shared, then one whose processes are pinned to
# CPU 1 (sshd and its children inherit the affinity) with the controller on
# CPU 0. Runs this checkout's dist/ with bench/loop-monitor.mjs preloaded.
#   flock /tmp/ece-lab.lock bench/loop-pinning.sh [hosts]
set -u
N=${1:-50}
HERE=$(cd "$(dirname "$0")/.." && pwd)
cd "$HERE"
LAB=/tmp/ecest-lab
echo "loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # label, command prefix for the controller
  LOOP_MONITOR_OUT=/tmp/ecest-$1.json $2 node --max-semi-space-size=2 --import ./bench/loop-monitor.mjs dist/cli/bin.js sweep \
    -i "$LAB/inventory.yml" --no-tui --no-save >"/tmp/ecest-$1.log" 2>&1
  node -e "const j = JSON.parse(require('fs').readFileSync('/tmp/ecest-$1.json', 'utf8')); const l = j.loopDelayMs;
    console.log('| $1 | ' + [j.wallMs, l.p50, l.p99, l.max, j.stallsOver100ms, j.stalls[0] ? j.stalls[0].lateMs + ' ms during ' + j.stalls[0].during : '-'].join(' | ') + ' |')"
}
lab() { $1 node dist/cli/bin.js lab "${@:2}" --prefix ecest --dir "$LAB" >/dev/null 2>&1; }
echo
echo "| run | wall ms | loop p50 ms | p99 ms | max ms | stalls >= 100 ms | longest |"
echo "|---|---:|---:|---:|---:|---:|---|"
lab "" up "$N" || exit 1
run shared-1 ""
run shared-2 ""
lab "" down
lab "taskset -c 1" up "$N" || exit 1
run pinned-1 "taskset -c 0"
run pinned-2 "taskset -c 0"
lab "" down
echo
echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)"
