/**
 * The one interface every transport implements (local, ssh). Kept small on
 * purpose, like pyinfra's connectors: connect, run a command, start a
 * long-running command, close. Jump hosts are composition inside ssh.ts.
 */
export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
  /**
   * The connection dropped before the command said how it ended (sshd killed,
   * the network cut, keepalive timeout): why, in one line. The command did not
   * fail; the host went away under it.
   */
  lost?: string;
}

export interface ExecOptions {
  /** Written to the command's stdin, which is then closed. */
  stdin?: string;
  /** Kill the command after this many ms (code null, signal 'TIMEOUT'). */
  timeoutMs?: number;
}

/**
 * A command that keeps running (a listener). Its stdin stays open: closing it
 * (stop()) is how the remote side learns to exit, and a dropped SSH channel
 * does the same, so nothing outlives the controller.
 */
export interface RunningCommand {
  /** Called once per complete stdout line. */
  onLine(handler: (line: string) => void): void;
  /** Resolves when the command exits. */
  readonly done: Promise<ExecResult>;
  /** More input on the open stdin (the host agent's control channel). */
  write(text: string): void;
  /**
   * Close stdin; the command is expected to exit. A transport may end it by
   * force after a short grace period (ssh does: OpenSSH ignores signals for
   * root sessions), so do not call it on a command that should keep running.
   */
  stop(): void;
  /** End it now (signal / channel close), for timeouts and interrupts. */
  kill?(): void;
}

export interface StartOptions {
  /** Written to stdin first; stdin then stays open until stop(). */
  stdin?: string;
}

export interface Connection {
  /** Inventory host name, for messages. */
  readonly host: string;
  /**
   * How long this transport lets a link stay silent before it gives the
   * connection up (SSH: keepalive interval x count), once connected;
   * undefined where nothing lies between (local). A host agent's watchdog
   * is set from it.
   */
  readonly silentLinkLimitMs?: number;
  /** Throws HostUnreachableError with a kind on failure. */
  connect(): Promise<void>;
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  start(command: string, opts?: StartOptions): RunningCommand;
  close(): Promise<void>;
}
