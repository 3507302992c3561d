/**
 * The temporary listener, run on the target with python3 (nothing installed:
 * the script travels base64-encoded in the command line; stdin stays open as
 * the lifeline). It binds the planned ports on the host network, accepts and
 * closes connections, and exits when stdin closes (the SSH channel dropped or
 * the controller said stop) or when its hard lifetime runs out, so a crashed
 * controller leaves nothing behind.
 *
 * Output, one line each: `BOUND <port>`, `INUSE <port>`, `FAIL <port> <errno> <reason>`,
 * then `READY <pid>`; at exit `BYE <reason>`.
 */
const LISTENER_PY = String.raw`
import errno, os, resource, selectors, socket, sys, time
ttl = float(sys.argv[1])
ports = [int(p) for p in sys.argv[2:]]
try:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, len(ports) + 64) if hard != resource.RLIM_INFINITY else len(ports) + 64
    if want > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
except Exception:
    pass
sel = selectors.DefaultSelector()
out = []
for p in ports:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(('0.0.0.0', p))
        s.listen(256)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, 'l')
        out.append('BOUND %d' % p)
    except OSError as e:
        s.close()
        if e.errno == errno.EADDRINUSE:
            out.append('INUSE %d' % p)
        else:
            out.append('FAIL %d %d %s' % (p, e.errno or 0, (e.strerror or str(e)).replace(' ', '_')))
sys.stdout.write('\n'.join(out + ['READY %d' % os.getpid()]) + '\n')
sys.stdout.flush()
sel.register(sys.stdin, selectors.EVENT_READ, 'stdin')
deadline = time.time() + ttl
reason = 'ttl'
while True:
    left = deadline - time.time()
    if left <= 0:
        break
    done = False
    for key, _ in sel.select(min(left, 5)):
        if key.data == 'stdin':
            if not os.read(0, 4096):
                reason = 'stdin-closed'
                done = True
        else:
            try:
                c, _ = key.fileobj.accept()
                c.close()
            except OSError:
                pass
    if done:
        break
sys.stdout.write('BYE %s\n' % reason)
sys.stdout.flush()
`;

const LISTENER_B64 = Buffer.from(LISTENER_PY, 'utf8').toString('base64');

/** The shell command that starts a listener for `ports` with a hard lifetime in seconds. */
export function listenerCommand(ports: number[], ttlSeconds: number): string {
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`bad listener port ${p}`);
  }
  const ttl = Math.max(1, Math.floor(ttlSeconds));
  // Only digits and base64 characters reach the shell: nothing to quote.
  return `exec python3 -u -c "import base64;exec(base64.b64decode('${LISTENER_B64}'))" ${ttl} ${ports.join(' ')}`;
}

export interface ListenerReport {
  bound: number[];
  inUse: number[];
  failed: { port: number; error: string }[];
  pid?: number;
  ready: boolean;
}

/** Pure parse of the listener's output lines (captured output in tests). */
export function parseListenerLines(lines: string[]): ListenerReport {
  const report: ListenerReport = { bound: [], inUse: [], failed: [], ready: false };
  for (const line of lines) {
    const [word, a, b, ...rest] = line.trim().split(' ');
    if (word === 'BOUND') report.bound.push(Number(a));
    else if (word === 'INUSE') report.inUse.push(Number(a));
    else if (word === 'FAIL') report.failed.push({ port: Number(a), error: `${rest.join(' ').replace(/_/g, ' ')} (errno ${b})` });
    else if (word === 'READY') {
      report.ready = true;
      report.pid = Number(a);
    }
  }
  return report;
}
