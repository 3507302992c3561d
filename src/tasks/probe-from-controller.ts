import net from 'node:net';
import pLimit from 'p-limit';
import { outcomeOfErrno, type ProbeResult } from './probe-outcome.js';
import type { ProbeTarget } from './host-agent-script.js';

/**
 * Probes run by the controller itself, standing in for external clients,
 * admins and load balancers. Same classification as the host agent:
 * two attempts of half the timeout each before a probe is called filtered.
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
        // Two attempts share the timeout, as on the hosts (host-agent-script.ts).
        const half = Math.max(1, Math.floor(opts.timeoutMs / 2));
        let result = await connectOnce(t.address, t.port, half);
        if (result.outcome === 'filtered' && !opts.signal?.aborted) {
          const again = await connectOnce(t.address, t.port, half);
          result = { ...again, ms: result.ms + again.ms, retried: true };
        }
        onResult(t.id, result);
      }),
    ),
  );
}

export function connectOnce(address: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const finish = (r: ProbeResult) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => finish({ outcome: 'filtered', ms: ms(), detail: 'timeout' }));
    socket.once('connect', () => finish({ outcome: 'open', ms: ms() }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      // A name the controller cannot resolve is 'unresolved' (ENOTFOUND, EAI_AGAIN), as on the hosts.
      finish({ outcome: outcomeOfErrno(err.code), ms: ms(), detail: err.code ?? err.message }),
    );
  });
}
