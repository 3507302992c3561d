import { spawn } from 'node:child_process';
import { labExec, type LabHost } from '../../../src/lab/lab.js';

/**
 * A slow host without netem (this kernel has none): every TCP packet in or
 * out of the host's eth0 goes to an NFQUEUE (iptables, in the host's network
 * namespace only), where a small Python handler holds it `delayMs` and then
 * accepts it, in order. So each direction gets a fixed added latency: a path
 * through the host has `2 x delayMs` more round-trip time, SSH included.
 * Nothing is dropped while the handler runs; `stop()` removes the rules first,
 * then ends the handler (by its pid).
 */
const HANDLER = String.raw`
import os, select, socket, struct, sys, time, heapq
Q = int(sys.argv[1]); D = float(sys.argv[2]) / 1000.0
QUEUE = 3 << 8                       # NFNL_SUBSYS_QUEUE
PACKET, VERDICT, CONFIG = 0, 1, 2    # NFQNL_MSG_*
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)   # NETLINK_NETFILTER
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
s.bind((0, 0))
seq = [0]
def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack('=HH', n, t) + payload + b'\0' * ((4 - n % 4) % 4)
def msg(mtype, attrs, flags=1):
    seq[0] += 1
    body = struct.pack('=BBH', socket.AF_UNSPEC, 0, socket.htons(Q)) + b''.join(attrs)
    return struct.pack('=IHHII', 16 + len(body), QUEUE | mtype, flags, seq[0], 0) + body
def config(a):
    s.send(msg(CONFIG, [a], 1 | 4))  # request, ack
    err = struct.unpack_from('=i', s.recv(65536), 16)[0]
    if err:
        raise OSError(-err, 'nfqueue config: ' + os.strerror(-err))
config(attr(1, struct.pack('=BxH', 1, 0)))   # NFQA_CFG_CMD: bind the queue
config(attr(2, struct.pack('>IB', 0, 1)))    # NFQA_CFG_PARAMS: metadata only
sys.stdout.write('READY\n'); sys.stdout.flush()
held = []
while True:
    wait = max(0.0, held[0][0] - time.time()) if held else 1.0
    if select.select([s], [], [], wait)[0]:
        data = s.recv(1 << 20)
        off = 0
        while off + 16 <= len(data):
            ln, mtype = struct.unpack_from('=IH', data, off)
            if ln < 16:
                break
            if mtype == QUEUE | PACKET:
                a = off + 20
                while a + 4 <= off + ln:
                    alen, atype = struct.unpack_from('=HH', data, a)
                    if alen < 4:
                        break
                    if atype & 0x7fff == 1:   # NFQA_PACKET_HDR: packet id first
                        heapq.heappush(held, (time.time() + D, struct.unpack_from('>I', data, a + 4)[0]))
                    a += (alen + 3) & ~3
            off += (ln + 3) & ~3
    now = time.time()
    while held and held[0][0] <= now:
        s.send(msg(VERDICT, [attr(2, struct.pack('>II', 1, heapq.heappop(held)[1]))]))   # NF_ACCEPT
`;

const QUEUE_NUM = 7;
const RULES = [
  ['INPUT', '-i', 'eth0'],
  ['OUTPUT', '-o', 'eth0'],
] as const;

export interface DelayQueue {
  stop(): Promise<void>;
}

export async function delayHost(host: LabHost, delayMs: number): Promise<DelayQueue> {
  const handler = spawn('ip', ['netns', 'exec', host.namespace, '/usr/bin/python3', '-I', '-c', HANDLER, String(QUEUE_NUM), String(delayMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  handler.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`delay handler on ${host.name} did not start: ${stderr}`)), 10_000);
    handler.stdout.setEncoding('utf8').once('data', () => {
      clearTimeout(timer);
      resolve();
    });
    handler.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`delay handler on ${host.name} exited ${code}: ${stderr}`));
    });
  });
  const rule = (op: '-A' | '-D', [chain, dirFlag, dev]: (typeof RULES)[number]) =>
    labExec(host, ['iptables', '-w', op, chain, dirFlag, dev, '-p', 'tcp', '-j', 'NFQUEUE', '--queue-num', String(QUEUE_NUM)]);
  for (const r of RULES) {
    const res = await rule('-A', r);
    if (res.code !== 0) {
      handler.kill('SIGKILL');
      throw new Error(`iptables on ${host.name}: ${res.stderr}`);
    }
  }
  return {
    async stop() {
      for (const r of RULES) await rule('-D', r);
      if (handler.exitCode === null && handler.pid) {
        const exited = new Promise((r) => handler.once('exit', r));
        handler.kill('SIGTERM');
        await exited;
      }
    },
  };
}
