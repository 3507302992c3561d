import type { Connection, ExecOptions, ExecResult, RunningCommand, StartOptions } from './connection.js';

/**
 * become (sudo) as a wrapper around any Connection: the command runs under
 * `sudo -n` (no password: fails at once when one is needed), or, given a
 * password, under `sudo -S -p ''` with the password as the first line of
 * stdin: never in argv (the process list of either side), never echoed.
 * sudo reads its password one byte at a time, so what follows on stdin
 * reaches the command untouched.
 */
export interface BecomeOptions {
  /** Target user, default root. */
  user?: string;
  password?: string;
}

/** Single quotes for sh: the command is ours (facts, agent, argv already quoted), never a raw inventory value. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const USER = /^[a-z_][a-z0-9_.-]*\$?$/i;

export function becomeCommand(command: string, opts: BecomeOptions): string {
  const user = opts.user ?? 'root';
  if (!USER.test(user)) throw new Error(`become_user '${user}' is not a user name`);
  const sudo = opts.password !== undefined ? `sudo -S -p '' -H -u ${user}` : `sudo -n -H -u ${user}`;
  return `${sudo} -- sh -c ${shellQuote(command)}`;
}

/**
 * What sudo's own complaint means, in one line for the host's failure; undefined
 * when stderr holds no sudo complaint.
 */
export function becomeFailure(stderr: string): string | undefined {
  if (/a password is required|a terminal is required/.test(stderr)) {
    return 'become: sudo needs a password here (give it with -K or ECE_PREFLIGHT_BECOME_PASS)';
  }
  if (/incorrect password|Sorry, try again/.test(stderr)) return 'become: sudo refused the password';
  if (/is not in the sudoers file|is not allowed to run sudo|may not run sudo/.test(stderr)) return 'become: this user may not use sudo here';
  if (/sudo: (command )?not found/.test(stderr)) return 'become: sudo is not installed on the host';
  return undefined;
}

/** A Connection whose commands run with sudo. Connect and close pass through. */
export class BecomeConnection implements Connection {
  constructor(
    private readonly inner: Connection,
    private readonly opts: BecomeOptions,
  ) {}

  get host(): string {
    return this.inner.host;
  }

  get silentLinkLimitMs(): number | undefined {
    return this.inner.silentLinkLimitMs;
  }

  connect(): Promise<void> {
    return this.inner.connect();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private stdinFirst(): string {
    return this.opts.password !== undefined ? `${this.opts.password}\n` : '';
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    // Without stdin of its own, a wrong password meets EOF and sudo fails at once.
    const r = await this.inner.exec(becomeCommand(command, this.opts), { ...opts, stdin: this.stdinFirst() + (opts.stdin ?? '') });
    return redact(r, this.opts.password);
  }

  start(command: string, opts: StartOptions = {}): RunningCommand {
    // A long-running command keeps stdin open, so a wrong password would make
    // sudo wait for the next line: two empty lines follow, so sudo's three
    // tries end at once (the agent ignores empty lines when the password was right).
    const first = this.opts.password !== undefined ? `${this.stdinFirst()}\n\n` : '';
    const running = this.inner.start(becomeCommand(command, this.opts), { ...opts, stdin: first + (opts.stdin ?? '') });
    const password = this.opts.password;
    return {
      onLine: (handler) => running.onLine(handler),
      done: running.done.then((r) => redact(r, password)),
      write: (text) => running.write(text),
      stop: () => running.stop(),
      kill: running.kill ? () => running.kill!() : undefined,
    };
  }
}

/** A command that echoes its stdin must not carry the password into our output. */
function redact(r: ExecResult, password: string | undefined): ExecResult {
  if (!password) return r;
  const hide = (s: string) => s.split(password).join('********');
  return { ...r, stdout: hide(r.stdout), stderr: hide(r.stderr) };
}
