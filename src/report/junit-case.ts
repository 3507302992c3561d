import type { HostRecord } from '../engine/result.js';
import type { Verdict } from '../tasks/probe-outcome.js';

/** One JUnit <testcase> before it is XML, and the suite that holds it. */
export interface Case {
  name: string;
  classname: string;
  seconds: number;
  /**
   * 'skipped': planned and not run (<skipped/> with the reason); 'warning':
   * an exposure that does not fail the run (passes, the finding in its output).
   */
  verdict: Verdict | 'skipped' | 'warning';
  /** outcome or error kind: the <failure>/<error> type. */
  type: string;
  message: string;
  body: string;
}

export interface Suite {
  name: string;
  hostname: string;
  properties: [string, string][];
  cases: Case[];
}

/** `--junit-per`: one test case per path (default), or per rule and destination for large fleets. */
export type JunitPer = 'path' | 'rule';
export const JUNIT_PER: readonly JunitPer[] = ['path', 'rule'];

/**
 * Jenkins splits a classname at its last dot into package and class, so a host
 * name's own dots (alloc01.dc1.example.com) would scatter one host over
 * packages: dots in names become `_`, and the one dot left separates the
 * roles (package) from the host (class).
 */
export const undotted = (name: string): string => name.replace(/\./g, '_');
export const classOf = (h: Pick<HostRecord, 'name' | 'roles'>): string => `${h.roles.join('+') || 'none'}.${undotted(h.name)}`;

export function checkMessage(verdict: Verdict, outcome: string, expect: string, detail?: string): string {
  return `${verdict}: ${outcome}${detail ? ` (${detail})` : ''}, expected ${expect}`;
}
