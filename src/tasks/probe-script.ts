import type { ProbeOutcome } from './probe-outcome.js';

/**
 * The prober, run on the source host with python3. Targets arrive on stdin
 * (`<id> <address> <port>` lines, then `END`), so inventory values never reach
 * a shell. Connects without blocking, at most `concurrency` at a time, and
 * tells refused from timeout from no route. A timed-out probe is tried once
 * more before it is called filtered (one lost SYN must not fail a path).
 *
 * Output per target: `R <id> <outcome> <ms> <detail> <retried 0|1>`, then `DONE`.
 */
const PROBE_PY = String.raw`
import errno, selectors, socket, sys, time
timeout = float(sys.argv[1]) / 1000.0
conc = int(sys.argv[2])
todo = []
for line in sys.stdin:
    line = line.strip()
    if line == 'END':
        break
    if line:
        i, a, p = line.split(' ')
        todo.append((i, a, int(p), 0))
OUT = {errno.ECONNREFUSED: 'refused', errno.ECONNRESET: 'refused', errno.ETIMEDOUT: 'filtered',
       errno.EHOSTUNREACH: 'unreachable', errno.ENETUNREACH: 'unreachable', errno.EACCES: 'unreachable',
       errno.EPERM: 'unreachable', errno.EHOSTDOWN: 'unreachable', errno.ENETDOWN: 'unreachable'}
def report(i, outcome, t0, detail, tries):
    sys.stdout.write('R %s %s %d %s %d\n' % (i, outcome, int((time.time() - t0) * 1000), detail, tries))
    sys.stdout.flush()
sel = selectors.DefaultSelector()
live = {}
while todo or live:
    while todo and len(live) < conc:
        i, a, p, tries = todo.pop(0)
        t0 = time.time()
        try:
            fam = socket.AF_INET6 if ':' in a else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setblocking(False)
            rc = s.connect_ex((a, p))
        except OSError as e:
            report(i, 'error', t0, (e.strerror or 'socket').replace(' ', '_'), tries)
            continue
        if rc == 0:
            s.close(); report(i, 'open', t0, '-', tries); continue
        if rc not in (errno.EINPROGRESS, errno.EWOULDBLOCK):
            s.close(); report(i, OUT.get(rc, 'error'), t0, errno.errorcode.get(rc, str(rc)), tries); continue
        sel.register(s, selectors.EVENT_WRITE, (i, a, p, tries, t0))
        live[s] = t0
    now = time.time()
    wait = max(0.0, min([t + timeout for t in live.values()]) - now) if live else 0
    for key, _ in sel.select(wait):
        s = key.fileobj
        i, a, p, tries, t0 = key.data
        sel.unregister(s); del live[s]
        rc = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        s.close()
        if rc == 0:
            report(i, 'open', t0, '-', tries)
        else:
            report(i, OUT.get(rc, 'error'), t0, errno.errorcode.get(rc, str(rc)), tries)
    now = time.time()
    for s, t0 in list(live.items()):
        if now - t0 >= timeout:
            key = sel.get_key(s)
            i, a, p, tries, _ = key.data
            sel.unregister(s); del live[s]; s.close()
            if tries == 0:
                todo.append((i, a, p, 1))
            else:
                report(i, 'filtered', t0, 'timeout', tries)
sys.stdout.write('DONE\n')
sys.stdout.flush()
`;

const PROBE_B64 = Buffer.from(PROBE_PY, 'utf8').toString('base64');

export interface ProbeTarget {
  id: string;
  address: string;
  port: number;
}

/** Command line: only digits and base64 reach the shell. */
export function probeCommand(timeoutMs: number, concurrency: number): string {
  const t = Math.max(1, Math.floor(timeoutMs));
  const c = Math.max(1, Math.floor(concurrency));
  return `exec python3 -u -c "import base64;exec(base64.b64decode('${PROBE_B64}'))" ${t} ${c}`;
}

/** The stdin for probeCommand. Ids and addresses must not contain spaces or newlines. */
export function probeInput(targets: ProbeTarget[]): string {
  const lines = targets.map((t) => {
    if (/\s/.test(t.id) || /\s/.test(t.address)) throw new Error(`probe target with whitespace: ${t.id}`);
    return `${t.id} ${t.address} ${t.port}`;
  });
  return lines.join('\n') + '\nEND\n';
}

export interface ProbeLine {
  id: string;
  outcome: ProbeOutcome;
  ms: number;
  detail?: string;
  retried: boolean;
}

const OUTCOMES = new Set(['open', 'refused', 'filtered', 'unreachable', 'error']);

/** Pure parse of one output line; null for lines that are not results. */
export function parseProbeLine(line: string): ProbeLine | null {
  const parts = line.trim().split(' ');
  if (parts[0] !== 'R' || parts.length < 6) return null;
  const [, id, outcome, ms, detail, retried] = parts;
  if (!OUTCOMES.has(outcome!)) return null;
  return {
    id: id!,
    outcome: outcome as ProbeOutcome,
    ms: Number(ms),
    detail: detail === '-' ? undefined : detail,
    retried: retried === '1',
  };
}
