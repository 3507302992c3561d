// Preload for one CLI run (`node --import ./bench/timeline.mjs dist/cli/bin.js sweep ...`):
// at exit, writes to stderr when each PLAY/TASK line came out (ms since the
// process started) and when the child processes (ssh -G, one per SSH host)
// started and ended. Where the wall time of a run goes, without a profiler.
import { performance } from 'node:perf_hooks';
import cp from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const marks = [];
const now = () => performance.now().toFixed(0);
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  for (const line of String(chunk).split('\n')) if (/^(TASK|PLAY)/.test(line)) marks.push(`${now()} ${line.slice(0, 70)}`);
  return write(chunk, ...rest);
};
let spawns = 0;
let firstSpawn;
let lastExit;
const spawn = cp.spawn;
cp.spawn = function (...args) {
  spawns++;
  firstSpawn ??= now();
  const child = spawn.apply(this, args);
  child.on('exit', () => (lastExit = now()));
  return child;
};
syncBuiltinESMExports();
process.on('exit', () => {
  marks.push(`${now()} exit (child processes: ${spawns}, first started at ${firstSpawn ?? '-'}, last ended at ${lastExit ?? '-'})`);
  process.stderr.write(marks.join('\n') + '\n');
});
