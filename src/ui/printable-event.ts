import type { CheckRecord } from '../engine/check-record.js';
import type { EngineEvent } from '../engine/events.js';
import { printable } from '../report/printable.js';
import type { HostFacts } from '../tasks/facts-types.js';

/**
 * An event with every text that came from a host or an inventory made
 * printable (src/report/printable.ts), so no renderer can pass a host's
 * escape sequence to the terminal: os-release, process names from `ss`,
 * remote stderr in errors and task messages, hints and details. Applied once
 * where events enter the plain and ink renderers; the engine's own record
 * (reports, JSON) keeps the raw text, and each report escapes for its format.
 */
export function printableEvent(e: EngineEvent): EngineEvent {
  switch (e.kind) {
    case 'task-result':
      return e.msg === undefined ? e : { ...e, msg: printable(e.msg) };
    case 'host-failed':
    case 'host-unreachable':
      return { ...e, error: printable(e.error) };
    case 'warning':
      return { ...e, message: printable(e.message) };
    case 'facts':
      return { ...e, facts: printableFacts(e.facts) };
    case 'listeners':
      return { ...e, inUse: e.inUse.map((u) => (u.process ? { ...u, process: printable(u.process) } : u)) };
    case 'check':
      return { ...e, check: printableCheck(e.check) };
    case 'checks':
      return { ...e, checks: e.checks.map(printableCheck) };
    case 'cleanup':
      return e.detail === undefined ? e : { ...e, detail: printable(e.detail) };
    default:
      return e;
  }
}

function printableCheck(c: CheckRecord): CheckRecord {
  const detail = c.result.detail;
  return {
    ...c,
    ...(c.hint !== undefined ? { hint: printable(c.hint) } : {}),
    ...(detail !== undefined ? { result: { ...c.result, detail: printable(detail) } } : {}),
  };
}

function printableFacts(f: HostFacts): HostFacts {
  return {
    ...f,
    ...(f.os !== undefined ? { os: printable(f.os) } : {}),
    ...(f.kernel !== undefined ? { kernel: printable(f.kernel) } : {}),
    ...(f.listening ? { listening: f.listening.map((u) => (u.process ? { ...u, process: printable(u.process) } : u)) } : {}),
  };
}
