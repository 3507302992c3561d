/**
 * Typed errors. Code throws these; only the top-level handler in
 * src/cli/main.ts turns them into an exit code and one line on stderr.
 * Exit codes follow Ansible: 0 ok, 2 a host failed a check, 3 unreachable
 * hosts, 4 parse error in inventory or playbook, 5 bad options, 99 interrupted.
 */
export const EXIT = {
  ok: 0,
  failed: 2,
  unreachable: 3,
  parse: 4,
  usage: 5,
  interrupted: 99,
  internal: 250,
} as const;

/** Inventory / playbook / catalog could not be read. Names file and line. */
export class ParseError extends Error {
  readonly exitCode = EXIT.parse;
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(file ? `${file}${line ? `:${line}` : ''}: ${message}` : message);
    this.name = 'ParseError';
  }
}

/**
 * A playbook could not be read: bad YAML, an unknown keyword or module, a bad
 * argument or `when` expression. A ParseError, so the CLI's one handler maps
 * it to exit 4 like an inventory error; its own class so callers can tell the
 * two apart. The message is one line, `file:line: message`.
 */
export class PlaybookError extends ParseError {
  constructor(message: string, file: string, line?: number) {
    super(message, file, line);
    this.name = 'PlaybookError';
  }
}

/** Bad command-line options or patterns. Names the option. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A host could not be reached or authenticated. */
export class HostUnreachableError extends Error {
  constructor(
    readonly host: string,
    message: string,
    /** ssh2 err.level or our own: 'client-socket', 'client-timeout', 'client-authentication', 'host-key', ... */
    readonly kind: string,
  ) {
    super(`${host}: ${message}`);
    this.name = 'HostUnreachableError';
  }
}

/** Environment is missing something (root, a package). Says what to install. */
export class EnvironmentError extends Error {
  readonly exitCode = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

/** The user stopped the tool before anything ran (Ctrl-C at a prompt): exit 99, one line. */
export class InterruptedError extends Error {
  readonly exitCode = EXIT.interrupted;
  constructor(message: string) {
    super(message);
    this.name = 'InterruptedError';
  }
}
