/**
 * direct-tcpip channels: sshd on the host opens a TCP connection onward and
 * nothing runs there. The jump chain tunnels through them (tunnelThrough) and
 * forwardOut probes with them; both read sshd's channel-open failure the same
 * way. Apart from ssh.ts because it works on any connected ssh2 Client and
 * its failure mapping is tested on its own.
 */
import type { Client, ClientChannel } from 'ssh2';
import { outcomeOfErrno, type ProbeResult } from '../tasks/probe-outcome.js';
import { oneLine } from './one-line.js';

/** A channel from the client's host to address:port. The stream is the caller's to end. */
export function tunnelThrough(client: Client, address: string, port: number, timeoutMs: number): Promise<ClientChannel> {
  return new Promise<ClientChannel>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`no answer from ${address}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.forwardOut('127.0.0.1', 0, address, port, (err, ch) => {
      clearTimeout(timer);
      if (done) {
        ch?.close();
        return;
      }
      done = true;
      if (err) reject(new Error(describeOpenFailure(err as Error & { reason?: number | string })));
      else resolve(ch);
    });
  });
}

/**
 * Probe address:port from the client's host: sshd makes the TCP connection
 * and reports how it went. `AllowTcpForwarding no` gives 'error' with detail
 * 'forwarding disabled' (fall back to an exec probe).
 */
export function forwardProbe(client: Client, address: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const t0 = Date.now();
  return new Promise<ProbeResult>((resolve) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      resolve({ outcome: 'filtered', ms: Date.now() - t0, detail: `no answer within ${timeoutMs} ms` });
    }, timeoutMs);
    try {
      client.forwardOut('127.0.0.1', 0, address, port, (err, ch) => {
        clearTimeout(timer);
        if (done) {
          ch?.close();
          return;
        }
        done = true;
        const ms = Date.now() - t0;
        if (!err) {
          ch.close();
          resolve({ outcome: 'open', ms });
          return;
        }
        resolve({ ...outcomeOfOpenFailure(err as Error & { reason?: number | string }), ms });
      });
    } catch (e) {
      clearTimeout(timer);
      done = true;
      resolve({ outcome: 'error', ms: Date.now() - t0, detail: oneLine((e as Error).message) });
    }
  });
}

/** sshd's channel-open failure reasons, as probe outcomes. */
export function outcomeOfOpenFailure(err: { message: string; reason?: number | string }): Omit<ProbeResult, 'ms'> {
  const text = err.message.replace(/^\(SSH\) Channel open failure:\s*/, '');
  if (err.reason === 1 || /administratively prohibited/i.test(text)) {
    return { outcome: 'error', detail: 'forwarding disabled' };
  }
  const errno = /connection refused/i.test(text)
    ? 'ECONNREFUSED'
    : /no route to host/i.test(text)
      ? 'EHOSTUNREACH'
      : /network is unreachable/i.test(text)
        ? 'ENETUNREACH'
        : /timed out/i.test(text)
          ? 'ETIMEDOUT'
          : /reset/i.test(text)
            ? 'ECONNRESET'
            : /permission denied|not permitted/i.test(text)
              ? 'EACCES'
              : undefined;
  return { outcome: outcomeOfErrno(errno), detail: errno ?? (oneLine(text) || 'open failed') };
}

function describeOpenFailure(err: { message: string; reason?: number | string }): string {
  const r = outcomeOfOpenFailure(err);
  return r.detail === 'forwarding disabled' ? 'forwarding disabled (AllowTcpForwarding no)' : oneLine(err.message.replace(/^\(SSH\) /, ''));
}
