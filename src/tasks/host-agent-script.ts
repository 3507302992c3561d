import { FACTS_COMMAND, PICK_PYTHON } from './facts.js';
import { PROBE_OUTCOMES, type ProbeOutcome } from './probe-outcome.js';

/**
 * The host agent: one session per host for the whole sweep, because on real
 * fleets (and here) every SSH session costs a login shell and an interpreter
 * start, and four sessions per host cost four "OpenSSH floors".
 *
 * The session runs the facts commands, prints `##agent`, then execs python3
 * with a small script (base64 in the command line, so only digits and base64
 * reach the shell). The script binds the planned listeners on the host
 * network (dual stack where IPv6 is on, else IPv4), prints `BOUND/INUSE/FAIL <port>` and `READY <pid>`, and then serves
 * two things in one event loop: the listeners (accept, then read and discard
 * until the peer closes: a probe closes at once, a --bandwidth transfer sends
 * first; tasks/bandwidth.ts), and probe
 * batches the controller writes to its stdin:
 *
 *     B <timeout_ms> <concurrency>     start a batch
 *     <id> <address> <port>           one target (ids and addresses without spaces)
 *     <id> <address> <port> <proxy> <proxy_port>
 *                                      one target through an HTTPS proxy (ece_https_proxy)
 *     E                                end of batch
 *
 * It answers `R <id> <outcome> <ms> <detail> <retried 0|1>` per target and
 * `DONE` per batch; a target through a proxy gets a 7th field, `P` (the
 * connect to the proxy itself failed: outcome and detail are the proxy's) or
 * `C` (the proxy answered `CONNECT <address>:<port>`: a 2xx status line is
 * `open`, any other `refused`, its status line %-encoded as the detail; no
 * answer within the budget `filtered`). The target's name is sent to the
 * proxy unresolved: the proxy resolves it, as curl and Docker let it. Between batches, `L <port> ...` binds more listeners
 * (answered with BOUND/INUSE/FAIL lines and `LISTENING`) and `C` closes them
 * all (`CLOSED <n>`): the listen task of a play opens them after the facts
 * task, in the same session. A connect without an answer at half the timeout
 * gets a second attempt before it is called filtered (one lost SYN must not
 * fail a path, rke#2438); the first attempt stays open beside it, and both end
 * with the timeout: a DROP costs one timeout, and an answer that comes after
 * half of it (a slow host, a long path) still counts. It exits when stdin closes (the controller said stop, or
 * the SSH connection dropped) or when its hard lifetime ends, so a crashed
 * controller leaves nothing behind. `S <seconds>` arms a watchdog: from then
 * on the controller writes a line at least every quarter of that (`H`, a
 * heartbeat, or any request), and an agent that hears nothing for that long
 * exits, its listeners with it (a link that went silent: a DROP on port 22
 * or a cable pulled, where stdin never closes).
 */
const AGENT_PY = String.raw`
import errno, os, resource, select, sys, time
import _socket as so, _thread
ttl = float(sys.argv[1])
ports = [int(p) for p in sys.argv[2:]]
try:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = len(ports) + 1200
    if hard != resource.RLIM_INFINITY:
        want = min(hard, want)
    if want > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
except Exception:
    pass
def out(s):
    b = (s + '\n').encode()
    while b:
        try:
            b = b[os.write(1, b):]
        except BlockingIOError:
            select.select([], [1], [], 1.0)
if hasattr(select, 'epoll'):
    poller = select.epoll()
    RD, WR = select.EPOLLIN, select.EPOLLOUT
    def wait(t):
        return poller.poll(t)
else:
    poller = select.poll()
    RD, WR = select.POLLIN, select.POLLOUT
    def wait(t):
        return poller.poll(t * 1000.0)
reg = {}
def register(s, fd, ev, data):
    poller.register(fd, ev)
    reg[fd] = (s, data)
def unregister(fd):
    poller.unregister(fd)
    return reg.pop(fd)
def listen_on(p):
    # Dual stack first (IPv4 and IPv6 clients), plain IPv4 where IPv6 is off.
    last = None
    for fam, addr in ((so.AF_INET6, '::'), (so.AF_INET, '0.0.0.0')):
        try:
            s = so.socket(fam, so.SOCK_STREAM)
        except OSError as e:
            last = e
            continue
        try:
            s.setsockopt(so.SOL_SOCKET, so.SO_REUSEADDR, 1)
            if fam == so.AF_INET6:
                s.setsockopt(so.IPPROTO_IPV6, so.IPV6_V6ONLY, 0)
            s.bind((addr, p))
            s.listen(256)
            s.setblocking(False)
            return s
        except OSError as e:
            s.close()
            if e.errno == errno.EADDRINUSE:
                raise
            last = e
    raise last
held = {}
def bind_all(ports):
    lines = []
    for p in ports:
        if p in held:
            lines.append('BOUND %d' % p)
            continue
        try:
            s = listen_on(p)
            register(s, s.fileno(), RD, ('L',))
            held[p] = s
            lines.append('BOUND %d' % p)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                lines.append('INUSE %d' % p)
            else:
                lines.append('FAIL %d %d %s' % (p, e.errno or 0, (e.strerror or str(e)).replace(' ', '_')))
    return lines
def close_all():
    n = len(held)
    for s in held.values():
        unregister(s.fileno())
        s.close()
    held.clear()
    return n
out('\n'.join(bind_all(ports) + ['READY %d' % os.getpid()]))
os.set_blocking(0, False)
register(None, 0, RD, ('I',))
OUT = {errno.ECONNREFUSED: 'refused', errno.ECONNRESET: 'refused', errno.ETIMEDOUT: 'filtered',
       errno.EHOSTUNREACH: 'unreachable', errno.ENETUNREACH: 'unreachable', errno.EACCES: 'unreachable',
       errno.EPERM: 'unreachable', errno.EHOSTDOWN: 'unreachable', errno.ENETDOWN: 'unreachable'}
todo = []
live = {}
sinks = {}
SINK_MAX = 256
SINK_TTL = 60.0
# Names (a target given as a host name, not an address) are resolved once per
# batch, each in a thread of its own, so a slow resolver holds no probe's
# timer; a name the host cannot resolve is 'unresolved', never a connect error.
NOTFOUND = set(getattr(so, n) for n in ('EAI_NONAME', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_ADDRFAMILY') if hasattr(so, n))
EAI = dict((getattr(so, n), n) for n in ('EAI_NONAME', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_ADDRFAMILY', 'EAI_SYSTEM', 'EAI_MEMORY', 'EAI_SERVICE') if hasattr(so, n))
names = {}
parked = [0]
resolved = []
res_r, res_w = os.pipe()
os.set_blocking(res_r, False)
register(None, res_r, RD, ('N',))
def is_address(a):
    for fam in (so.AF_INET, so.AF_INET6):
        try:
            so.inet_pton(fam, a)
            return True
        except (OSError, ValueError):
            pass
    return False
def resolve_bg(name):
    try:
        addrs = [ai[4][0] for ai in so.getaddrinfo(name, None, 0, so.SOCK_STREAM)]
        v4 = [x for x in addrs if ':' not in x]
        res = ('ok', (v4 or addrs)[0]) if addrs else ('no', 'EAI_NODATA')
    except so.gaierror as e:
        code = e.args[0] if e.args else 0
        res = ('no' if code in NOTFOUND else 'err', EAI.get(code, 'EAI_%s' % code))
    except Exception as e:
        res = ('err', (str(e) or 'resolver').replace(' ', '_'))
    resolved.append((name, res))
    os.write(res_w, b'.')
timeout = 2.0
conc = 64
silence = 0.0
heard = time.time()
batch_open = False
batch_ended = False
buf = b''
def report(i, outcome, t0, detail, tries, st=''):
    out('R %s %s %d %s %d%s' % (i, outcome, int((time.time() - t0) * 1000), detail, tries, (' ' + st) if st else ''))
# Through an HTTPS proxy (a target line with a proxy): the stage that decided
# is the result's 7th field, P (connecting to the proxy itself failed: the
# outcome is the proxy's) or C (the proxy answered the CONNECT; a status line
# is the detail, %-encoded). The target's name goes to the proxy unresolved.
def pct(line):
    return ''.join(c if 33 <= ord(c) < 127 and c != '%' else '%%%02X' % (ord(c) & 255) for c in line[:200]) or '-'
# A probe's connects in flight (two once the second attempt started), by id;
# live holds when each is due: the first at half the budget, then the end of it.
attempts = {}
def drop(fd):
    s, _ = unregister(fd)
    del live[fd]
    s.close()
def finish(i, outcome, first, detail, tries, st=''):
    for fd in attempts.pop(i, ()):
        drop(fd)
    report(i, outcome, first, detail, tries, st)
def start(i, a, p, tries, first, px=None):
    t0 = time.time()
    if first is None:
        first = t0
    # through a proxy the source resolves and connects to the proxy only
    ca, cp = px if px else (a, p)
    st0 = 'P' if px else ''
    if not is_address(ca):
        st = names.get(ca)
        if st is None or isinstance(st, list):
            if st is None:
                names[ca] = st = []
                _thread.start_new_thread(resolve_bg, (ca,))
            st.append((i, a, p, tries, first, px))
            parked[0] += 1
            return
        if st[0] != 'ok':
            finish(i, 'unresolved' if st[0] == 'no' else 'error', first, st[1], tries, st0)
            return
        ca = st[1]
    try:
        s = so.socket(so.AF_INET6 if ':' in ca else so.AF_INET, so.SOCK_STREAM)
        s.setblocking(False)
        rc = s.connect_ex((ca, cp))
    except OSError as e:
        finish(i, 'error', first, (e.strerror or 'socket').replace(' ', '_'), tries, st0)
        return
    if rc == 0 and not px:
        s.close(); finish(i, 'open', first, '-', tries); return
    if rc not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK):
        s.close(); finish(i, OUT.get(rc, 'error'), first, errno.errorcode.get(rc, str(rc)), tries, st0); return
    fd = s.fileno()
    register(s, fd, WR, ('C', i, a, p, tries, first, px))
    attempts.setdefault(i, []).append(fd)
    live[fd] = t0 + timeout if tries == 0 else first + 2 * timeout
def tunnel(fd, s, i, a, p, tries, first, px):
    # Connected to the proxy: this attempt asks for the tunnel, any other is closed;
    # the proxy's answer is awaited until the probe's budget ends.
    for o in attempts.get(i, []):
        if o != fd:
            drop(o)
    attempts[i] = [fd]
    hp = ('[%s]:%d' if ':' in a else '%s:%d') % (a, p)
    try:
        s.send(('CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n' % (hp, hp)).encode())
    except OSError as e:
        finish(i, 'error', first, errno.errorcode.get(e.errno, 'send'), tries, 'C')
        return
    poller.modify(fd, RD)
    reg[fd] = (s, ('H', i, a, p, tries, first, px, b''))
    live[fd] = first + 2 * timeout
def answer(fd, s, data):
    _, i, a, p, tries, first, px, got = data
    try:
        chunk = s.recv(4096)
    except BlockingIOError:
        return
    except OSError as e:
        finish(i, 'error', first, errno.errorcode.get(e.errno, 'recv'), tries, 'C')
        return
    got += chunk
    if b'\n' not in got and chunk and len(got) < 8192:
        reg[fd] = (s, ('H', i, a, p, tries, first, px, got))
        return
    line = got.split(b'\n', 1)[0].strip().decode('latin-1')
    if not line:
        finish(i, 'error', first, 'closed_without_an_answer', tries, 'C')
    elif not line.startswith('HTTP/') or len(line.split(' ')) < 2:
        finish(i, 'error', first, 'not_an_HTTP_answer:' + pct(line[:40]), tries, 'C')
    else:
        code = line.split(' ')[1]
        # 407: the proxy wants credentials we do not send; whether the target is reachable is not known
        finish(i, 'open' if len(code) == 3 and code.startswith('2') else 'error' if code == '407' else 'refused', first, pct(line), tries, 'C')
def command(line):
    global timeout, conc, batch_open, batch_ended, silence
    parts = line.split(' ')
    if parts[0] == 'B' and len(parts) == 3:
        # a new batch resolves its names again (names still being resolved stay)
        for k in [k for k, v in names.items() if not isinstance(v, list)]:
            del names[k]
        # the budget covers both attempts of a probe: the second starts at half of it
        timeout = float(parts[1]) / 2000.0
        conc = max(1, int(parts[2]))
        batch_open = True
        batch_ended = False
    elif parts[0] == 'S' and len(parts) == 2 and not batch_open:
        silence = float(parts[1])
    elif parts[0] == 'E':
        batch_open = False
        batch_ended = True
    elif parts[0] == 'L' and not batch_open:
        out('\n'.join(bind_all([int(p) for p in parts[1:] if p.isdigit()]) + ['LISTENING']))
    elif parts[0] == 'C' and not batch_open:
        out('CLOSED %d' % close_all())
    elif batch_open and len(parts) == 3:
        todo.append((parts[0], parts[1], int(parts[2]), 0, None, None))
    elif batch_open and len(parts) == 5:
        todo.append((parts[0], parts[1], int(parts[2]), 0, None, (parts[3], int(parts[4]))))
deadline = time.time() + ttl
reason = 'ttl'
running = True
while running:
    now = time.time()
    if now >= deadline:
        break
    if silence and now - heard > silence:
        reason = 'silence'
        break
    while todo and len(live) < conc:
        start(*todo.pop(0))
    wait_s = min(deadline - now, 5.0)
    if silence:
        wait_s = max(0.0, min(wait_s, heard + silence - now))
    if live:
        wait_s = max(0.0, min(wait_s, min(live.values()) - now))
    try:
        events = wait(wait_s)
    except InterruptedError:
        continue
    for fd, ev in events:
        if fd not in reg:
            continue
        s, data = reg[fd]
        kind = data[0]
        if kind == 'L':
            try:
                c, _ = s._accept()
            except OSError:
                continue
            # A connection is read and discarded until the peer closes it (a
            # probe closes at once; --bandwidth's transfer sends first), at
            # most SINK_MAX at a time and SINK_TTL seconds each.
            if len(sinks) >= SINK_MAX:
                os.close(c)
                continue
            os.set_blocking(c, False)
            # Most probes have closed by now: their FIN is already here, so one read
            # ends them without a trip through the event loop (35,000 at 50 hosts).
            try:
                first = os.read(c, 262144)
            except BlockingIOError:
                first = None
            except OSError:
                first = b''
            if first == b'':
                os.close(c)
                continue
            register(None, c, RD, ('S',))
            sinks[c] = time.time()
        elif kind == 'S':
            try:
                data = os.read(fd, 262144)
            except BlockingIOError:
                continue
            except OSError:
                data = b''
            if not data:
                unregister(fd)
                del sinks[fd]
                os.close(fd)
        elif kind == 'N':
            try:
                os.read(res_r, 4096)
            except BlockingIOError:
                pass
            while resolved:
                name, res = resolved.pop(0)
                waiting = names.get(name)
                names[name] = res
                if isinstance(waiting, list):
                    parked[0] -= len(waiting)
                    # back to the front of the queue: they start as the concurrency allows
                    todo[0:0] = waiting
        elif kind == 'I':
            try:
                chunk = os.read(0, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                reason = 'stdin-closed'
                running = False
                break
            heard = time.time()
            buf += chunk
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                command(line.decode().strip())
        elif kind == 'H':
            answer(fd, s, data)
        else:
            _, i, a, p, tries, first, px = data
            rc = s.getsockopt(so.SOL_SOCKET, so.SO_ERROR)
            # the first answer of either attempt is the probe's; finish() closes the other
            if rc == 0 and px:
                tunnel(fd, s, i, a, p, tries, first, px)
            elif rc == 0:
                finish(i, 'open', first, '-', tries)
            else:
                finish(i, OUT.get(rc, 'error'), first, errno.errorcode.get(rc, str(rc)), tries, 'P' if px else '')
    now = time.time()
    for fd, t0 in list(sinks.items()):
        if now - t0 >= SINK_TTL:
            unregister(fd)
            del sinks[fd]
            os.close(fd)
    for fd, due in list(live.items()):
        if fd not in live or now < due:
            continue
        s, data = reg[fd]
        if data[0] == 'H':
            # connected to the proxy, no answer to the CONNECT within the budget
            finish(data[1], 'filtered', data[5], 'no_answer_to_CONNECT', data[4], 'C')
            continue
        _, i, a, p, tries, first, px = data
        if tries == 0:
            # Half the budget without an answer: a second attempt (a lost SYN),
            # the first kept open (a slow answer to it still counts); both end
            # with the budget. Started now, beside the concurrency: it must
            # not wait for a slot while the budget runs.
            reg[fd] = (s, ('C', i, a, p, 1, first, px))
            live[fd] = first + 2 * timeout
            start(i, a, p, 1, first, px)
        else:
            left = attempts.get(i, [])
            if fd in left:
                left.remove(fd)
            drop(fd)
            if not left:
                attempts.pop(i, None)
                report(i, 'filtered', first, 'timeout', tries, 'P' if px else '')
    if batch_ended and not todo and not live and not parked[0]:
        batch_ended = False
        out('DONE')
out('BYE %s' % reason)
`;

const AGENT_B64 = Buffer.from(AGENT_PY, 'utf8').toString('base64');

/**
 * The interpreter's flags: isolated (-I: no PYTHON* variables, no user site, no
 * script folder on sys.path) and without the site module (-S), which halves
 * the start-up with the script's imports (bench/RESULTS.md). Output is written
 * with os.write, unbuffered, so -u is not needed.
 */
export const PYTHON_FLAGS = '-I -S';

/** Printed between the facts output and the agent's own lines. */
export const AGENT_MARK = '##agent';

/**
 * The one command a host runs: facts, then the agent (python3 as PICK_PYTHON finds it).
 */
export function hostAgentCommand(ports: number[], ttlSeconds: number, opts: { facts?: boolean } = {}): string {
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`bad listener port ${p}`);
  }
  const ttl = Math.max(1, Math.floor(ttlSeconds));
  return [
    ...(opts.facts === false ? [] : [FACTS_COMMAND]),
    `echo "${AGENT_MARK}"`,
    PICK_PYTHON,
    // Only digits and base64 characters reach the shell: nothing to quote. -I -S: no site
    // module, no user site-packages, no PYTHON* variables (the script needs only built-in
    // modules: errno, os, resource, select, sys, time, _socket, binascii).
    `exec "$P" ${PYTHON_FLAGS} -c "import binascii;exec(binascii.a2b_base64('${AGENT_B64}'))" ${ttl} ${ports.join(' ')}`,
  ].join('\n');
}

export interface ProbeTarget {
  id: string;
  address: string;
  port: number;
  /** Through this HTTPS proxy (CONNECT): the agent connects to it, never to `address`. */
  proxy?: { host: string; port: number };
}

/** The stdin text of one probe batch. Ids and addresses must not contain whitespace. */
export function probeBatch(targets: ProbeTarget[], timeoutMs: number, concurrency: number): string {
  const lines = [`B ${Math.max(1, Math.floor(timeoutMs))} ${Math.max(1, Math.floor(concurrency))}`];
  for (const t of targets) {
    if (/\s/.test(t.id) || /\s/.test(t.address) || (t.proxy && /\s/.test(t.proxy.host))) throw new Error(`probe target with whitespace: ${t.id}`);
    lines.push(t.proxy ? `${t.id} ${t.address} ${t.port} ${t.proxy.host} ${t.proxy.port}` : `${t.id} ${t.address} ${t.port}`);
  }
  lines.push('E');
  return lines.join('\n') + '\n';
}

/** The stdin line that binds more listeners (answered by BOUND/INUSE/FAIL lines, then LISTENING). */
export function listenLine(ports: readonly number[]): string {
  for (const p of ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`bad listener port ${p}`);
  }
  return `L ${ports.join(' ')}\n`;
}

/** The stdin line that closes every listener (answered by `CLOSED <n>`). */
export const CLOSE_LINE = 'C\n';

/** Arm the agent's watchdog: it exits after `seconds` without a line from the controller. */
export function watchdogLine(seconds: number): string {
  return `S ${Math.max(1, Math.round(seconds))}\n`;
}

/** What the controller writes between requests so that an armed watchdog keeps hearing it. */
export const HEARTBEAT_LINE = 'H\n';

export interface ListenerReport {
  bound: number[];
  inUse: number[];
  failed: { port: number; error: string }[];
  pid?: number;
  ready: boolean;
}

/** Pure parse of the agent's listener lines (captured output in tests). */
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
    } else if (word === 'LISTENING') report.ready = true;
  }
  return report;
}

export interface ProbeLine {
  id: string;
  outcome: ProbeOutcome;
  ms: number;
  detail?: string;
  retried: boolean;
  /** Through a proxy: `proxy` (connecting to the proxy failed) or `connect` (the proxy answered the CONNECT; `detail` its status line when it gave one). */
  stage?: 'proxy' | 'connect';
}

const OUTCOMES: ReadonlySet<string> = new Set(PROBE_OUTCOMES);

/** Pure parse of one result line; null for lines that are not results. */
export function parseProbeLine(line: string): ProbeLine | null {
  const parts = line.trim().split(' ');
  if (parts[0] !== 'R' || parts.length < 6) return null;
  const [, id, outcome, ms, detail, retried, stage] = parts;
  if (!OUTCOMES.has(outcome!)) return null;
  const r: ProbeLine = {
    id: id!,
    outcome: outcome as ProbeOutcome,
    ms: Number(ms),
    detail: detail === '-' ? undefined : detail,
    retried: retried === '1',
  };
  if (stage === 'P') r.stage = 'proxy';
  else if (stage === 'C') {
    r.stage = 'connect';
    // the proxy's status line, %-encoded by the agent (bytes as latin-1)
    if (r.detail?.startsWith('HTTP/')) r.detail = r.detail.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
  return r;
}
