import type { HostRecord, RunResult } from '../engine/result.js';
import type { Verdict } from '../tasks/probe-outcome.js';
import { pathName } from './failures.js';
import { escapeAttr, escapeXml } from './xml-escape.js';

/**
 * JUnit XML for CI (Jenkins, GitLab, GitHub test reporters): one <testsuite>
 * per destination host, one <testcase> per required path named
 * `source -> host:port` (rke#1346: name every path), classname
 * `<roles>/<host>`. blocked and exposed are <failure>s; error (could not
 * tell) is an <error>, as JUnit separates broken checks from failed ones.
 * Each host also gets a `connect` case so an unreachable host fails the
 * build even though its probes never ran. Outbound checks form their own suite.
 */

interface Case {
  name: string;
  classname: string;
  seconds: number;
  verdict: Verdict;
  /** outcome or error kind: the <failure>/<error> type. */
  type: string;
  message: string;
  body: string;
}

interface Suite {
  name: string;
  hostname: string;
  properties: [string, string][];
  cases: Case[];
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);
const classOf = (h: Pick<HostRecord, 'name' | 'roles'>): string => `${h.roles.join('+') || 'none'}/${h.name}`;

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

function message(verdict: Verdict, outcome: string, expect: string, detail?: string): string {
  return `${verdict}: ${outcome}${detail ? ` (${detail})` : ''}, expected ${expect}`;
}

function suitesOf(result: RunResult): Suite[] {
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
  for (const p of result.probes) {
    const suite = suites.get(p.probe.to);
    if (!suite) continue;
    const host = result.hosts.find((h) => h.name === p.probe.to)!;
    suite.cases.push({
      name: pathName(p.probe.from, p.probe.to, p.probe.port),
      classname: classOf(host),
      seconds: p.result.ms / 1000,
      verdict: p.verdict,
      type: p.result.outcome,
      message: message(p.verdict, p.result.outcome, p.probe.expect, p.result.detail),
      body: [p.hint && `hint: ${p.hint}`, `rules: ${p.probe.rules.join(', ')}`].filter(Boolean).join('\n'),
    });
  }
  const out = [...suites.values()];
  if (result.outbound.length > 0) {
    out.push({
      name: 'outbound',
      hostname: 'outbound',
      properties: [],
      cases: result.outbound.map((o) => ({
        name: pathName(o.check.from, o.check.host, o.check.port),
        classname: `outbound/${o.check.from}`,
        seconds: o.result.ms / 1000,
        verdict: o.verdict,
        type: o.result.outcome,
        message: message(o.verdict, o.result.outcome, 'open', o.result.detail),
        body: [o.hint && `hint: ${o.hint}`, `rule: ${o.check.rule}`].filter(Boolean).join('\n'),
      })),
    });
  }
  return out;
}

const countOf = (cases: Case[]) => ({
  tests: cases.length,
  failures: cases.filter((c) => c.verdict === 'blocked' || c.verdict === 'exposed').length,
  errors: cases.filter((c) => c.verdict === 'error').length,
  time: cases.reduce((t, c) => t + c.seconds, 0),
});

function renderCase(c: Case): string {
  const open = `    <testcase name="${escapeAttr(c.name)}" classname="${escapeAttr(c.classname)}" time="${c.seconds.toFixed(3)}"`;
  if (c.verdict === 'ok') return `${open}/>`;
  const tag = c.verdict === 'error' ? 'error' : 'failure';
  return [
    `${open}>`,
    `      <${tag} message="${escapeAttr(c.message)}" type="${escapeAttr(c.type)}">${escapeXml(c.body)}</${tag}>`,
    '    </testcase>',
  ].join('\n');
}

export function renderJunit(result: RunResult): string {
  const suites = suitesOf(result);
  const all = countOf(suites.flatMap((s) => s.cases));
  const timestamp = result.startedAt.slice(0, 19); // xs:dateTime without zone, as the ant schema wants
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeAttr(`ece-preflight ${result.inventory}`)}" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" time="${seconds(result.durationMs)}">`,
  ];
  suites.forEach((s, id) => {
    const c = countOf(s.cases);
    lines.push(
      `  <testsuite name="${escapeAttr(s.name)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="0" time="${c.time.toFixed(3)}" timestamp="${timestamp}" hostname="${escapeAttr(s.hostname)}" id="${id}" package="ece-preflight">`,
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
