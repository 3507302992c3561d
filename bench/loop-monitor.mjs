// Preload for a CLI run (`node --import ./bench/loop-monitor.mjs dist/cli/bin.js sweep ...`):
// measures what the controller does with its one thread and writes one JSON
// object to $LOOP_MONITOR_OUT (or stderr) at exit:
//   - event-loop delay (perf_hooks.monitorEventLoopDelay, 10 ms resolution):
//     max, p50, p99, mean; and every stall (a 10 ms timer late by >= 100 ms)
//     with its time since start and the last TASK line printed before it;
//   - SSH channels opened per host (ssh2 Client exec / shell / forwardOut), to
//     check one exec per host;
//   - when the last TASK line and the end came, for a phase timeline;
//   - memory: process.memoryUsage() at each TASK line, at PLAY RECAP and at
//     exit, and when the RSS peaked (sampled every 10 ms) and during what
//     (the last TASK, `PLAY RECAP` while reports are written).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const t0 = performance.now();
const since = () => Math.round(performance.now() - t0);
const h = monitorEventLoopDelay({ resolution: 10 });
h.enable();

const stalls = [];
const tasks = [];
let lastTask = '(start)';
let last = performance.now();
let rssPeak = { bytes: 0, atMs: 0, during: '(start)' };
const memory = [];
const mb = (n) => +(n / 2 ** 20).toFixed(1);
const snapshot = (at) => {
  const m = process.memoryUsage();
  memory.push({ at, atMs: since(), rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external), arrayBuffersMB: mb(m.arrayBuffers) });
};
const tick = setInterval(() => {
  const now = performance.now();
  const late = now - last - 10;
  if (late >= 100) stalls.push({ atMs: Math.round(last - t0), lateMs: Math.round(late), during: lastTask });
  last = now;
  const rss = process.memoryUsage.rss();
  if (rss > rssPeak.bytes) rssPeak = { bytes: rss, atMs: since(), during: lastTask };
}, 10);
tick.unref();

// TASK lines of the plain renderer mark the phases.
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  const s = String(chunk);
  for (const m of s.matchAll(/^TASK \[([^\]]*)\]/gm)) {
    lastTask = m[1];
    tasks.push({ atMs: since(), task: m[1] });
    snapshot(`TASK ${m[1]}`);
  }
  if (/^PLAY RECAP/m.test(s)) {
    lastTask = 'PLAY RECAP';
    snapshot('PLAY RECAP');
  }
  return write(chunk, ...rest);
};

// Channels per host: patch ssh2's Client where the transport gets it.
const channels = {};
try {
  const { Client } = require('ssh2');
  for (const method of ['exec', 'shell', 'forwardOut']) {
    const orig = Client.prototype[method];
    Client.prototype[method] = function (...args) {
      const host = this.config?.host ?? this._sock?.remoteAddress ?? '?';
      const key = `${host}`;
      channels[key] ??= { exec: 0, shell: 0, forwardOut: 0, refused: 0 };
      channels[key][method]++;
      // A refused open (sshd said "open failed") is retried by the transport: count it apart.
      const cb = args.findLastIndex((a) => typeof a === 'function');
      if (cb >= 0) {
        const done = args[cb];
        args[cb] = function (err, ...rest) {
          if (err) channels[key].refused++;
          return done.call(this, err, ...rest);
        };
      }
      return orig.apply(this, args);
    };
  }
} catch (e) {
  channels.error = String(e);
}

process.on('exit', () => {
  h.disable();
  snapshot('exit');
  const perHost = Object.values(channels).filter((c) => typeof c === 'object');
  const execs = perHost.map((c) => c.exec);
  const out = {
    wallMs: since(),
    loopDelayMs: { max: +(h.max / 1e6).toFixed(1), p50: +(h.percentile(50) / 1e6).toFixed(1), p99: +(h.percentile(99) / 1e6).toFixed(1), mean: +(h.mean / 1e6).toFixed(1) },
    stalls: stalls.sort((a, b) => b.lateMs - a.lateMs).slice(0, 10),
    stallsOver100ms: stalls.length,
    tasks,
    channels: { hosts: perHost.length, execPerHost: execs.length ? { min: Math.min(...execs), max: Math.max(...execs) } : null, forwardOut: perHost.reduce((a, c) => a + c.forwardOut, 0), refusedOpens: perHost.reduce((a, c) => a + c.refused, 0), shell: perHost.reduce((a, c) => a + c.shell, 0) },
    peakRssMB: +(process.resourceUsage().maxRSS / 1024).toFixed(0),
    rssPeak: { mb: mb(rssPeak.bytes), atMs: rssPeak.atMs, during: rssPeak.during },
    memory,
  };
  const text = JSON.stringify(out) + '\n';
  if (process.env.LOOP_MONITOR_OUT) writeFileSync(process.env.LOOP_MONITOR_OUT, text);
  else process.stderr.write(text);
});
