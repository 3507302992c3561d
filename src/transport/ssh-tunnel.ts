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

/** How a direct-tcpip open ended: a channel, sshd's refusal, no answer in time, or ssh2 throwing at once. */
type Opened = { channel: ClientChannel } | { refused: Error & { reason?: number | string } } | { timedOut: true } | { thrown: Error };

/**
 * One direct-tcpip open raced against a timeout; never rejects. A channel
 * that opens after the timeout is closed at once. Both the jump tunnel and
 * the forwardOut probe read its ending their own way.
 */
function openChannel(client: Client, address: string, port: number, timeoutMs: number): Promise<Opened> {
  return new Promise<Opened>((resolve) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      resolve({ timedOut: true });
    }, timeoutMs);
    try {
      client.forwardOut('127.0.0.1', 0, address, port, (err, ch) => {
        clearTimeout(timer);
        if (done) {
          ch?.close();
          return;
        }
        done = true;
        resolve(err ? { refused: err as Error & { reason?: number | string } } : { channel: ch });
      });
    } catch (e) {
      clearTimeout(timer);
      done = true;
      resolve({ thrown: e as Error });
    }
  });
}

/** A channel from the client's host to address:port. The stream is the caller's to end. */
export async function tunnelThrough(client: Client, address: string, port: number, timeoutMs: number): Promise<ClientChannel> {
  const r = await openChannel(client, address, port, timeoutMs);
  if ('channel' in r) return r.channel;
  if ('refused' in r) throw new Error(describeOpenFailure(r.refused));
  if ('thrown' in r) throw r.thrown;
  throw new Error(`no answer from ${address}:${port} within ${timeoutMs} ms`);
}

/**
 * Probe address:port from the client's host: sshd makes the TCP connection
 * and reports how it went. `AllowTcpForwarding no` gives 'error' with detail
 * 'forwarding disabled' (fall back to an exec probe).
 */
export async function forwardProbe(client: Client, address: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const t0 = Date.now();
  const r = await openChannel(client, address, port, timeoutMs);
  const ms = Date.now() - t0;
  if ('channel' in r) {
    r.channel.close();
    return { outcome: 'open', ms };
  }
  if ('refused' in r) return { ...outcomeOfOpenFailure(r.refused), ms };
  if ('thrown' in r) return { outcome: 'error', ms, detail: oneLine(r.thrown.message) };
  return { outcome: 'filtered', ms, detail: `no answer within ${timeoutMs} ms` };
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
