import type { CheckRecord } from '../engine/check-record.js';
import type { EngineEvent, EventFormatters, EventOf } from '../engine/events.js';
import type { HostRecap } from '../engine/result.js';
import type { TaskCounts } from '../engine/task-counts.js';
import { failureOf } from '../report/failures.js';
import { supersededText } from '../report/superseded.js';
import { emptyRecap, formatTally, recapFields, tallyOf, tallyTone, type RecapTone } from '../report/tally.js';
import { painter, type Paint, type Tone } from './ansi.js';
import { printableEvent } from './printable-event.js';
import { failureText, formatRoleCounts, observedText, VERDICT_TONE } from './format.js';
import { createRunStore, headlineOfRun, hostsInOrder, roleCounts, tallyOfRun, type HostView, type RunState, type RunStore } from './run-store.js';

/**
 * Plain lines for pipes, CI logs and --no-tui: one stable, greppable line per
 * event that matters, Ansible's vocabulary (ok:, fatal:, [WARNING]:, PLAY
 * RECAP). Reads the same store as the ink UI, so counts agree.
 */
export interface PlainOptions {
  color: boolean;
  /** Also print ok probes and every host state change. */
  verbose?: boolean;
  /** Where [WARNING] lines go (stderr in the CLI); default: with the rest. */
  writeWarning?: (s: string) => void;
  /** The store to fill; the caller passes one to read it too (progress lines). Default: a store of its own. */
  store?: RunStore;
}

const WIDTH = 79;
const banner = (title: string): string => `${title} ${'*'.repeat(Math.max(3, WIDTH - title.length - 1))}`;

const TONE_OF_RECAP: Record<RecapTone, Tone> = { ok: 'ok', bad: 'bad', warn: 'warn', dim: 'dim' };

/** `h1      : ok=44   blocked=0    ...` as Ansible pads it: names to 26, values to 4. */
export function recapLine(name: string, r: HostRecap, nameWidth: number, paint: Paint = (_t, s) => s, tasks?: TaskCounts, paths = true): string {
  const fields = recapFields(r, tasks, paths).map((f) => {
    const text = `${f.label}=${String(f.value).padEnd(4)}`;
    return f.tone === 'dim' ? text : paint(TONE_OF_RECAP[f.tone], text);
  });
  const hostTone: Tone = r.unreachable || r.failed || r.blocked || r.error ? 'bad' : r.exposed ? 'warn' : 'ok';
  return `${paint(hostTone, name.padEnd(nameWidth))} : ${fields.join(' ')}`.trimEnd();
}

export function recapBlock(s: RunState, paint: Paint): string[] {
  const width = Math.max(26, ...s.hostOrder.map((n) => n.length));
  const lines = [banner('PLAY RECAP')];
  const paths = s.planned.probes + s.planned.outbound > 0;
  for (const name of s.hostOrder) lines.push(recapLine(name, s.recap[name] ?? emptyRecap(), width, paint, s.result?.tasks?.[name], paths));
  const tally = tallyOfRun(s);
  lines.push('');
  if (paths) lines.push(paint(tallyTone(tally), formatTally(tally)));
  // The verdict closes the output, where a CI log is read from: status first,
  // then each host that was not checked and why.
  const headline = headlineOfRun(s);
  if (headline) {
    lines.push(paint(headline.tone, headline.text));
    for (const h of headline.hostLines) lines.push(paint('bad', `  not checked: ${h}`));
    for (const c of headline.checkLines) lines.push(paint(/: fail: /.test(c) ? 'bad' : 'warn', `  host check: ${c}`));
  }
  return lines;
}

function probeSummary(h: HostView, recap: HostRecap, paint: Paint): string {
  const ok = (c: { done: number; failed: number }): string => `${c.done - c.failed}/${c.done}`;
  const text = `[${h.name}] probes ok: ${ok(h.asDestination)} in, ${ok(h.asSource)} out`;
  // A host fails for blocked paths or errors towards it; an exposure (2375
  // reachable) or a failure of its outgoing probes (the destination's line
  // fails for those) only warns, as the exit code does for exposures.
  if (recap.blocked + recap.error > 0) return `${paint('bad', 'failed:')} ${text}`;
  if (h.asDestination.failed + h.asSource.failed > 0) return `${paint('warn', 'warning:')} ${text}`;
  return paint('ok', `ok: ${text}`);
}

/** `--- before` / `+++ after` and the lines that differ, as `ansible-playbook --diff` shows a change. */
export function diffLines(d: { before: string; after: string }, paint: Paint): string[] {
  const before = d.before.split('\n').filter(Boolean);
  const after = d.after.split('\n').filter(Boolean);
  const had = new Set(before);
  const has = new Set(after);
  const removed = before.filter((l) => !has.has(l)).map((l) => paint('bad', `-${l}`));
  const added = after.filter((l) => !had.has(l)).map((l) => paint('ok', `+${l}`));
  return removed.length + added.length ? ['--- before', '+++ after', ...removed, ...added] : [];
}

export function createPlainRenderer(
  write: (s: string) => void,
  opts: PlainOptions,
): (e: EngineEvent) => void {
  const store = opts.store ?? createRunStore();
  const paint = painter(opts.color);
  const verbose = opts.verbose ?? false;
  let summarized = false;
  /** The state before the event being formatted: lines about transitions compare the two. */
  let previous: RunState = store.getState();
  const state = (): RunState => store.getState();

  /** Ok probes are not listed one by one: one line per host once probing is over. */
  const summaries = (): string[] => {
    if (summarized || state().probesDone === 0) return [];
    summarized = true;
    return hostsInOrder(state())
      .filter((h) => h.asDestination.done + h.asSource.done > 0)
      .map((h) => probeSummary(h, state().recap[h.name] ?? emptyRecap(), paint));
  };

  /** A failing check's line; ok checks only with --verbose. */
  const checkLine = (c: CheckRecord): string | null => {
    const f = failureOf(c);
    if (!f) {
      if (!verbose) return null;
      return paint('dim', `ok ${observedText({ source: c.from, destination: c.to, port: c.port, ...c.result })}`);
    }
    return `${paint(VERDICT_TONE[f.verdict], failureText(f))}${f.hint ? ` hint: ${f.hint}` : ''}`;
  };

  /** One Ansible-style line per task result. */
  const resultLine = (e: EventOf<'task-result'>): string | string[] | null => {
    const msg = e.msg ? ` ${e.msg}` : '';
    switch (e.status) {
      case 'ok':
        // Probe tasks are summed up per host (in and out) once probing is over.
        return e.module === 'probe' && !verbose ? null : paint('ok', `ok: [${e.host}]${msg}`);
      case 'changed':
        return paint('warn', `changed: [${e.host}]${msg}`);
      case 'skipped':
        return verbose || e.msg !== 'Conditional result was False' ? paint('dim', `skipping: [${e.host}]${msg}`) : paint('dim', `skipping: [${e.host}]`);
      case 'unreachable':
        return paint('bad', `fatal: [${e.host}]: UNREACHABLE! => ${state().hosts[e.host]?.errorKind ?? 'error'}: ${e.msg ?? ''}`);
      case 'failed':
        return e.ignored
          ? [paint('bad', `fatal: [${e.host}]: FAILED! =>${msg}`), paint('dim', '...ignoring')]
          : paint('bad', `fatal: [${e.host}]: FAILED! =>${msg}`);
    }
  };

  const formatters: EventFormatters<string | string[] | null> = {
    'run-start': (e) =>
      `${e.inventory}: ${e.hosts.length} hosts (${formatRoleCounts(roleCounts(state()))})` +
      (e.counts.probes + e.counts.outbound > 0 ? `, ${e.counts.probes} probes, ${e.counts.listeners} listeners, ${e.counts.outbound} outbound` : ''),
    'play-start': (e) => ['', banner(`PLAY [${e.name}]${e.check ? ' (check mode)' : ''}`)],
    // The per-host probe lines close the probing: before the next task's banner, unless that task probes again.
    'task-start': (e) => [...(e.module === 'probe' ? [] : summaries()), '', banner(`TASK [${e.name}]`)],
    'task-result': (e) => {
      const line = resultLine(e);
      // --diff: what the task changed (or, under --check, would change), as Ansible shows it.
      return e.diff ? [...(Array.isArray(line) ? line : line ? [line] : []), ...diffLines(e.diff, paint)] : line;
    },
    'host-state': (e) => (verbose ? paint('dim', `[${e.host}] ${e.state}`) : null),
    // Said by the task result; the store keeps them for the recap and the UI.
    'host-unreachable': () => null,
    'host-failed': () => null,
    facts: () => null,
    listeners: () => null,
    check: ({ check }) => checkLine(check),
    // One line per failing check (per check with --verbose), as for single checks.
    checks: ({ checks }) => {
      const lines: string[] = [];
      for (const c of checks) {
        const line = checkLine(c);
        if (line !== null) lines.push(line);
      }
      return lines.length > 0 ? lines : null;
    },
    // A later sweep replaced an earlier round of the same paths: its per-host summaries come again.
    'checks-replaced': (e) => {
      summarized = false;
      return paint('dim', supersededText(e.round));
    },
    cleanup: (e) =>
      e.ok
        ? verbose
          ? paint('dim', `ok: [${e.host}] cleaned up`)
          : null
        : `${paint('bad', 'failed:')} [${e.host}] cleanup: ${e.detail ?? 'unknown error'}`,
    warning: (e) => paint('warn', `[WARNING]: ${e.host ? `[${e.host}] ` : ''}${e.code}: ${e.message}`),
    'run-end': (e) => {
      const lines = [...summaries(), '', ...recapBlock(state(), paint)];
      if (e.result.interrupted) lines.push(paint('warn', 'interrupted: listeners were stopped, results are partial'));
      return lines;
    },
  };

  return (raw) => {
    const e = printableEvent(raw);
    previous = store.getState();
    store.dispatch(e);
    const out = (formatters[e.kind] as (e: EngineEvent) => string | string[] | null)(e);
    if (out === null) return;
    // Warnings go to stderr, as Ansible's do, so stdout stays the record of the run.
    const sink = e.kind === 'warning' && opts.writeWarning ? opts.writeWarning : write;
    for (const line of Array.isArray(out) ? out : [out]) sink(`${line}\n`);
  };
}
