import type { CheckRecord } from '../engine/check-record.js';
import type { NotCheckedRecord } from '../engine/not-checked.js';
import type { HostRecord, RunResult } from '../engine/result.js';
import { headlineOf, type HostGap } from '../engine/run-summary.js';
import type { Verdict } from '../tasks/probe-outcome.js';
import { outboundOf, probesOf } from '../engine/check-record.js';
import { pathName } from './failures.js';
import { checkMessage, classOf, undotted, type Case, type JunitPer, type Suite } from './junit-case.js';
import { groupByRule, ruleCase } from './junit-rule-cases.js';
import { summaryOf } from './summary.js';
import { escapeAttr, escapeXml } from './xml-escape.js';

export { JUNIT_PER, type JunitPer } from './junit-case.js';

/**
 * JUnit XML for CI (Jenkins, GitLab, GitHub test reporters). The first suite,
 * `run`, says whether every planned check ran (an <error> when not) and lists
 * each host not checked as <skipped/> with why. Then one <testsuite> per
 * destination host, one <testcase> per required path named
 * `source -> host:port` (rke#1346: name every path), classname
 * `<roles>.<host>`; a path that was planned and not run is a <skipped/> case
 * with the reason, so CI counts what was not checked. blocked is a <failure>;
 * exposed too when it fails the run (--fail-on-exposed), else the case passes
 * with the finding in its output; error (could not tell) is an <error>, as
 * JUnit separates broken checks from failed ones. Each host also gets a
 * `connect` case so an unreachable host fails the build even though its
 * probes never ran. Outbound checks form their own suite. With
 * `per: 'rule'` a case stands for a rule on a destination instead of a path
 * (junit-rule-cases.ts).
 */
export interface JunitOptions {
  per?: JunitPer;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function connectCase(h: HostRecord): Case {
  const broken = h.state === 'unreachable' || h.state === 'failed';
  return {
    name: `connect ${h.name}`,
    classname: classOf(h),
    seconds: 0,
    verdict: h.state === 'unreachable' ? 'error' : h.state === 'failed' ? 'blocked' : 'ok',
    type: h.errorKind ?? h.state,
    message: broken ? `${h.state}: ${h.error ?? 'no detail'}` : '',
    body: '',
  };
}

/** How many planned checks to or from a host did not run (a probe counts for both its ends, an outbound check for its source). */
function notRunOf(host: string, notChecked: readonly NotCheckedRecord[]): number {
  return notChecked.filter((n) => n.from === host || (n.kind === 'probe' && n.to === host)).length;
}

/**
 * The first suite says whether the run is complete, so a CI page that lists
 * only failures shows an incomplete run as red even when every path that did
 * run passed; each host not checked is a skipped case with the reason and
 * how many of the planned checks it took part in did not run.
 */
function runSuite(result: RunResult): Suite {
  const summary = summaryOf(result);
  const head = headlineOf(summary);
  const complete: Case = {
    name: 'every planned check ran',
    classname: 'ece-preflight.run',
    seconds: result.durationMs / 1000,
    verdict: summary.complete ? 'ok' : 'error',
    type: 'incomplete',
    message: head.text,
    body: [...head.hostLines, ...head.checkLines].join('\n'),
  };
  const gapCase = (g: HostGap): Case => {
    // Files written before `notChecked` existed know only the total.
    const n = result.notChecked ? notRunOf(g.name, result.notChecked) : undefined;
    return {
      name: `paths of ${g.name}`,
      classname: 'ece-preflight.run',
      seconds: 0,
      verdict: 'skipped',
      type: g.state,
      message: `not checked: ${g.reason}${n !== undefined ? ` (${n} planned ${n === 1 ? 'check' : 'checks'} to or from it not run)` : ''}`,
      body: '',
    };
  };
  return {
    name: 'run',
    hostname: 'controller',
    properties: [['status', summary.status], ['headline', head.text]],
    cases: [complete, ...summary.hostsNotChecked.map(gapCase)],
  };
}

function notCheckedCase(n: NotCheckedRecord, classname: string): Case {
  return {
    name: pathName(n.from, n.to, n.port),
    classname,
    seconds: 0,
    verdict: 'skipped',
    type: 'not-checked',
    message: `not checked: ${n.reason}`,
    body: `rules: ${n.rules.join(', ')}`,
  };
}

function pathCase(c: CheckRecord, classname: string, verdict: Case['verdict']): Case {
  return {
    name: pathName(c.from, c.to, c.port),
    classname,
    seconds: c.result.ms / 1000,
    verdict,
    type: c.result.outcome,
    message: checkMessage(c.verdict, c.result.outcome, c.expect, c.result.detail),
    body: [c.hint && `hint: ${c.hint}`, `${c.kind === 'probe' ? 'rules' : 'rule'}: ${c.rules.join(', ')}`].filter(Boolean).join('\n'),
  };
}

function suitesOf(result: RunResult, per: JunitPer): Suite[] {
  const exposuresFail = summaryOf(result).exposuresFail;
  const verdictOf = (v: Verdict): Case['verdict'] => (v === 'exposed' && !exposuresFail ? 'warning' : v);
  const notChecked = result.notChecked ?? [];
  const suites = new Map<string, Suite>();
  for (const h of result.hosts) {
    suites.set(h.name, {
      name: h.name,
      hostname: h.address,
      properties: [
        ['roles', h.roles.join(',')],
        ['roles-source', h.rolesSource],
        ['state', h.state],
      ],
      cases: [connectCase(h)],
    });
  }
  const hostsByName = new Map(result.hosts.map((h) => [h.name, h]));
  const probes = probesOf(result.checks);
  const probesNotRun = notChecked.filter((n) => n.kind === 'probe');
  if (per === 'rule') {
    for (const g of groupByRule(probes, probesNotRun, (c) => c.to)) {
      const host = hostsByName.get(g.destination);
      if (host) suites.get(host.name)!.cases.push(ruleCase(g, classOf(host), `${g.rule} on ${g.destination}`, exposuresFail));
    }
  } else {
    for (const p of probes) {
      const host = hostsByName.get(p.to);
      if (host) suites.get(host.name)!.cases.push(pathCase(p, classOf(host), verdictOf(p.verdict)));
    }
    for (const n of probesNotRun) {
      const host = hostsByName.get(n.to);
      if (host) suites.get(host.name)!.cases.push(notCheckedCase(n, classOf(host)));
    }
  }
  const out = [runSuite(result), ...suites.values()];
  const outbound = outboundOf(result.checks);
  const outboundNotRun = notChecked.filter((n) => n.kind === 'outbound');
  if (outbound.length + outboundNotRun.length > 0) {
    const endpoint = (c: { to: string; port: number }): string => `${c.to}:${c.port}`;
    const cases =
      per === 'rule'
        ? groupByRule(outbound, outboundNotRun, endpoint).map((g) => ruleCase(g, `outbound.${undotted(g.rule)}`, `${g.rule} -> ${g.destination}`, exposuresFail))
        : [
            ...outbound.map((o) => pathCase(o, `outbound.${undotted(o.from)}`, o.verdict)),
            ...outboundNotRun.map((n) => notCheckedCase(n, `outbound.${undotted(n.from)}`)),
          ];
    out.push({ name: 'outbound', hostname: 'outbound', properties: [], cases });
  }
  return out;
}

const countOf = (cases: Case[]) => ({
  tests: cases.length,
  failures: cases.filter((c) => c.verdict === 'blocked' || c.verdict === 'exposed').length,
  errors: cases.filter((c) => c.verdict === 'error').length,
  skipped: cases.filter((c) => c.verdict === 'skipped').length,
  time: cases.reduce((t, c) => t + c.seconds, 0),
});

function renderCase(c: Case): string {
  const open = `    <testcase name="${escapeAttr(c.name)}" classname="${escapeAttr(c.classname)}" time="${c.seconds.toFixed(3)}"`;
  if (c.verdict === 'ok') return `${open}/>`;
  if (c.verdict === 'skipped') {
    const skipped = c.body ? `<skipped message="${escapeAttr(c.message)}">${escapeXml(c.body)}</skipped>` : `<skipped message="${escapeAttr(c.message)}"/>`;
    return `${open}>\n      ${skipped}\n    </testcase>`;
  }
  // An exposure that does not fail the run passes, with the finding in its output.
  if (c.verdict === 'warning') return `${open}>\n      <system-out>${escapeXml(`warning: ${c.message}\n${c.body}`)}</system-out>\n    </testcase>`;
  const tag = c.verdict === 'error' ? 'error' : 'failure';
  return [
    `${open}>`,
    `      <${tag} message="${escapeAttr(c.message)}" type="${escapeAttr(c.type)}">${escapeXml(c.body)}</${tag}>`,
    '    </testcase>',
  ].join('\n');
}

export function renderJunit(result: RunResult, opts: JunitOptions = {}): string {
  const suites = suitesOf(result, opts.per ?? 'path');
  const all = countOf(suites.flatMap((s) => s.cases));
  const timestamp = result.startedAt.slice(0, 19); // xs:dateTime without zone, as the ant schema wants
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeAttr(`ece-preflight ${result.inventory}`)}" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" time="${seconds(result.durationMs)}">`,
  ];
  suites.forEach((s, id) => {
    const c = countOf(s.cases);
    lines.push(
      `  <testsuite name="${escapeAttr(s.name)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${c.time.toFixed(3)}" timestamp="${timestamp}" hostname="${escapeAttr(s.hostname)}" id="${id}" package="ece-preflight">`,
    );
    if (s.properties.length > 0) {
      lines.push('    <properties>');
      for (const [name, value] of s.properties) {
        lines.push(`      <property name="${escapeAttr(name)}" value="${escapeAttr(value)}"/>`);
      }
      lines.push('    </properties>');
    }
    for (const tc of s.cases) lines.push(renderCase(tc));
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
