/**
 * ProxyCommand as OpenSSH runs it: `sh -c "exec <command>"` on this machine,
 * its stdin/stdout carrying the SSH stream (ssh2 takes it as `sock`). Used
 * for every ProxyCommand that is not a plain `ssh -W` (those become our own
 * jump connections), so a host configured that way is reached that way,
 * never by a silent direct connection.
 */
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';

export interface ProxyTokens {
  /** %h: the target's HostName. */
  host: string;
  /** %p */
  port: number;
  /** %r: the remote user. */
  user: string;
  /** %n: the host name as given to ssh (before HostName). */
  original: string;
  /** %u, %d: the local user and home. */
  localUser: string;
  home: string;
  /** %l, %L: this machine's name, full and short. */
  localHost: string;
}

/**
 * Anything that reaches `sh -c` from an inventory must not be able to say
 * more than a name: OpenSSH (9.6+) refuses shell metacharacters in these too.
 */
const SAFE_TOKEN = /^[A-Za-z0-9_.:@%+-]*$/;

/** Expand OpenSSH's ProxyCommand tokens (%h %p %r %n %u %d %l %L %%); an unsafe value throws, naming it. */
export function expandProxyCommand(command: string, t: ProxyTokens): string {
  return command.replace(/%(.)/g, (whole, c: string) => {
    const value = ((): string | undefined => {
      switch (c) {
        case '%':
          return '%';
        case 'h':
          return t.host;
        case 'p':
          return String(t.port);
        case 'r':
          return t.user;
        case 'n':
          return t.original;
        case 'u':
          return t.localUser;
        case 'd':
          return t.home;
        case 'l':
          return t.localHost;
        case 'L':
          return t.localHost.split('.')[0] ?? t.localHost;
        default:
          return undefined;
      }
    })();
    if (value === undefined) throw new Error(`ProxyCommand: unknown token ${whole} in '${command}'`);
    if (c !== '%' && c !== 'd' && !SAFE_TOKEN.test(value)) {
      throw new Error(`ProxyCommand: refusing to put ${JSON.stringify(value)} (${whole}) into a shell command`);
    }
    return value;
  });
}

export interface RunningProxy {
  /** stdout read, stdin written: the transport socket. */
  sock: Duplex;
  /** Why the command ended early, when it did (exit code and its last stderr line). */
  failure(): string | undefined;
  /** failure(), after waiting up to `ms` for the command to end (its exit can trail the closed stream). */
  ended(ms: number): Promise<string | undefined>;
  kill(): void;
}

/** Start the (expanded) ProxyCommand; its stderr is kept for the error message, not shown. */
export function spawnProxyCommand(command: string): RunningProxy {
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let ended: string | undefined;
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-2000);
  });
  const lastLine = (): string => stderr.trim().split('\n').pop()?.trim() ?? '';
  child.on('error', (e) => {
    ended = `ProxyCommand could not start: ${e.message}`;
  });
  child.on('exit', (code, signal) => {
    const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
    ended = `ProxyCommand '${command}' ${why}${lastLine() ? `: ${lastLine()}` : ''}`;
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const sock = Duplex.from({ readable: child.stdout, writable: child.stdin });
  // A broken pipe to a dead proxy is reported by the handshake, not thrown here.
  child.stdin.on('error', () => undefined);
  sock.on('error', () => undefined);
  return {
    sock,
    failure: () => ended,
    ended: async (ms) => {
      if (ended === undefined) await Promise.race([exited, new Promise((r) => setTimeout(r, ms))]);
      return ended;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
