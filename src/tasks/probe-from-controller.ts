import net from 'node:net';
import pLimit from 'p-limit';
import { outcomeOfErrno, type ProbeResult } from './probe-outcome.js';
import type { ProbeTarget } from './host-agent-script.js';

/**
 * Probes run by the controller itself, standing in for external clients,
 * admins and load balancers. Same classification as the host agent: a
 * second attempt at half the timeout beside the first, then filtered.
 */
export async function probeFromController(
  targets: ProbeTarget[],
  opts: { timeoutMs: number; concurrency: number; signal?: AbortSignal },
  onResult: (id: string, result: ProbeResult) => void,
): Promise<void> {
  const limit = pLimit(opts.concurrency);
  await Promise.all(
    targets.map((t) =>
      limit(async () => {
        if (opts.signal?.aborted) return;
        onResult(t.id, await probeWithinBudget(t.address, t.port, opts.timeoutMs, opts.signal));
      }),
    ),
  );
}

/**
 * One probe within `timeoutMs`, as on the hosts (host-agent-script.ts): no
 * answer at half of it starts a second attempt (a lost SYN must not fail a
 * path), the first kept open (a slow host's late answer still counts: two
 * halves in a row called a 600 ms round trip filtered under a 1 s budget);
 * the first answer wins, and both end with the budget (a DROP costs one).
 */
export function probeWithinBudget(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  const t0 = performance.now();
  const half = Math.max(1, Math.floor(timeoutMs / 2));
  return new Promise((resolve) => {
    const sockets: net.Socket[] = [];
    let pending = 0;
    let retried = false;
    let done = false;
    const end = (r: Omit<ProbeResult, 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(second);
      for (const s of sockets) s.destroy();
      resolve({ ...r, ms: Math.round(performance.now() - t0), ...(retried ? { retried: true } : {}) });
    };
    const attempt = (ms: number) => {
      pending++;
      const socket = net.connect({ host: address, port });
      sockets.push(socket);
      socket.setTimeout(ms, () => {
        socket.destroy();
        if (--pending === 0) end({ outcome: 'filtered', detail: 'timeout' });
      });
      socket.once('connect', () => end({ outcome: 'open' }));
      // A name the controller cannot resolve is 'unresolved' (ENOTFOUND, EAI_AGAIN), as on the hosts.
      socket.once('error', (err: NodeJS.ErrnoException) => end({ outcome: outcomeOfErrno(err.code), detail: err.code ?? err.message }));
    };
    attempt(timeoutMs);
    const second = setTimeout(() => {
      if (done || signal?.aborted) return;
      retried = true;
      attempt(timeoutMs - half);
    }, half);
  });
}
