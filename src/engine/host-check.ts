/**
 * A check of one host (or of the fleet) that is not a network path: a seed
 * requirement (IPv6 on proxies, the first host, round trip, bandwidth) or an
 * installer precondition (Docker, install user, storage path, port range,
 * firewalld). Judged from facts by pure functions (src/tasks/host-verdicts.ts,
 * src/tasks/preconditions.ts); kept beside the path checks in the result.
 *
 * - pass: the host meets it;
 * - fail: it does not (the run is FAILED, as for a blocked path);
 * - warn: it may not, and the message says why (an unknown ece_version);
 * - not-checked: the planned check could not be judged (its fact could not be
 *   read, the host was not reached, or this version does not measure it): shown
 *   in the summary, never counted as a pass.
 */
export type HostCheckStatus = 'pass' | 'fail' | 'warn' | 'not-checked';

export interface HostCheckRecord {
  /** requirement: a catalog HostRequirement; precondition: what the ECE installer checks. */
  kind: 'requirement' | 'precondition';
  /** Catalog requirement id (`proxy-ipv6`) or precondition id (`docker-socket`). */
  id: string;
  /** The host judged; absent for a fleet-level check (round trip, bandwidth). */
  host?: string;
  status: HostCheckStatus;
  /** One line: what was found and, when not a pass, what to do. */
  message: string;
}

/** A planned host check before it runs (so a host that never ran it leaves it 'not checked'). */
export type PlannedHostCheck = Pick<HostCheckRecord, 'kind' | 'id' | 'host'>;

export interface HostCheckCounts {
  total: number;
  passed: number;
  failed: number;
  warned: number;
  notChecked: number;
}

export function hostCheckCounts(records: readonly Pick<HostCheckRecord, 'status'>[]): HostCheckCounts {
  const c: HostCheckCounts = { total: records.length, passed: 0, failed: 0, warned: 0, notChecked: 0 };
  for (const r of records) {
    if (r.status === 'pass') c.passed++;
    else if (r.status === 'fail') c.failed++;
    else if (r.status === 'warn') c.warned++;
    else c.notChecked++;
  }
  return c;
}

/** `h4 proxy-ipv6: fail: ...`: one line for plain output and reports. */
export function hostCheckLine(r: HostCheckRecord): string {
  return `${r.host ?? 'fleet'} ${r.id}: ${r.status}: ${r.message}`;
}

/**
 * The planned host checks without a record, as 'not-checked' with why (the
 * host's gap when it failed or was unreachable, else `not run`).
 */
export function hostChecksNotRun(
  planned: readonly PlannedHostCheck[],
  ran: readonly HostCheckRecord[],
  gapReason: (host: string) => string | undefined,
  interrupted: boolean,
): HostCheckRecord[] {
  const key = (c: PlannedHostCheck) => `${c.kind}|${c.id}|${c.host ?? ''}`;
  const done = new Set(ran.map(key));
  return planned
    .filter((p) => !done.has(key(p)))
    .map((p) => {
      const gap = p.host ? gapReason(p.host) : undefined;
      return { ...p, status: 'not-checked' as const, message: gap ? `${p.host} ${gap}` : interrupted ? 'interrupted' : 'not run' };
    });
}
