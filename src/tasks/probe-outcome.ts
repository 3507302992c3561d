/**
 * What one TCP connection attempt observed, and what that means against what
 * the plan expected. Kept apart from the probing code so reports, UI and the
 * firewall hints share one vocabulary.
 */
export type ProbeOutcome =
  /** connected */
  | 'open'
  /** RST: path open, nothing listening, or REJECT with tcp-reset */
  | 'refused'
  /** no answer before the timeout: DROP */
  | 'filtered'
  /** ICMP unreachable / no route / admin prohibited */
  | 'unreachable'
  /**
   * The target was a host name and the source could not resolve it (no such
   * name, or no answer from its resolver): the record's `address` is the name,
   * `from` the host that failed, `detail` the resolver's code (EAI_NONAME,
   * EAI_AGAIN, ...). A failure of the check, as ECE on that host would fail.
   */
  | 'unresolved'
  /** listener failed, probe could not run */
  | 'error';

export const PROBE_OUTCOMES: readonly ProbeOutcome[] = ['open', 'refused', 'filtered', 'unreachable', 'unresolved', 'error'];

/** ok: as expected; blocked: required but not open; exposed: must be closed but open; error: could not tell. */
export type Verdict = 'ok' | 'blocked' | 'exposed' | 'error';

export function verdictOf(expect: 'open' | 'closed', outcome: ProbeOutcome): Verdict {
  // An unresolved name fails the check either way: nothing was connected to,
  // and ECE on that host, given the same name, would not connect either.
  if (outcome === 'error' || outcome === 'unresolved') return 'error';
  if (expect === 'open') return outcome === 'open' ? 'ok' : 'blocked';
  return outcome === 'open' ? 'exposed' : 'ok';
}

/** Map a connect() errno to an outcome. Timeouts are decided by the caller. */
export function outcomeOfErrno(code: string | undefined): ProbeOutcome {
  switch (code) {
    case 'ECONNREFUSED':
    case 'ECONNRESET':
      return 'refused';
    case 'ETIMEDOUT':
      return 'filtered';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EACCES':
    case 'EPERM':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return 'unreachable';
    // getaddrinfo's answers (Node names EAI_NONAME ENOTFOUND): the name did not resolve.
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
    case 'EAI_ADDRFAMILY':
      return 'unresolved';
    default:
      return 'error';
  }
}

export interface ProbeResult {
  outcome: ProbeOutcome;
  /** Time to the outcome in ms. */
  ms: number;
  /** errno or message, when not open. */
  detail?: string;
  /** A filtered probe is retried once before it is called (rke#2438). */
  retried?: boolean;
  /** An outbound check through the host's HTTPS proxy (ece_https_proxy): what the proxy did. */
  proxy?: ProxyResult;
}

/**
 * An outbound check made through an HTTPS proxy: the source connects to the
 * proxy and sends `CONNECT target:port`; the proxy resolves the target's name
 * and connects to it. The outcome then reads:
 * - `at: 'connect'`: the proxy answered the CONNECT with `status`: 200 is
 *   `open`, 407 `error` (the proxy wants credentials, which a preflight does
 *   not hold: whether the target is reachable is not known), any other
 *   status `refused` (403: the proxy refused the target; 502/503/504: the
 *   proxy could not resolve or reach it); no answer
 *   within the timeout is `filtered`, a connection closed without a status
 *   line `error`;
 * - `at: 'proxy'`: the source could not connect to the proxy itself (or not
 *   resolve the proxy's name): the outcome and detail are the proxy's, and
 *   the target was never asked for.
 */
export interface ProxyResult {
  /** The proxy, `host:port` (ece_https_proxy). */
  address: string;
  at: 'proxy' | 'connect';
  /** The proxy's status line to CONNECT (`HTTP/1.1 403 Forbidden`), when it answered one. */
  status?: string;
  /** The target's name went to the proxy unresolved: the proxy resolved it, not the source host. */
  resolvedBy: 'proxy';
}

/** The status code of a proxy's status line (`HTTP/1.1 403 Forbidden` -> 403), or undefined. */
export function proxyStatusCode(status: string | undefined): number | undefined {
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/.exec(status ?? '');
  return m ? Number(m[1]) : undefined;
}
