import type { HostRecord, RunResult } from '../engine/result.js';
import type { Verdict } from '../tasks/probe-outcome.js';
import { outboundOf, probesOf } from '../engine/check-record.js';
import { headlineOf } from '../engine/run-summary.js';
import { pathName } from './failures.js';
import { summaryOf } from './summary.js';
import { escapeAttr, escapeXml } from './xml-escape.js';

/**
 * JUnit XML for CI (Jenkins, GitLab, GitHub test reporters). The first suite,
 * `run`, says whether every planned check ran (an <error> when not) and lists
 * each host not checked as <skipped/> with why. Then one <testsuite> per
 * destination host, one <testcase> per required path named
 * `source -> host:port` (rke#1346: name every path), classname
 * `<roles>.<host>`. blocked is a <failure>; exposed too when it fails the run
 * (--fail-on-exposed), else the case passes with the finding in its output;
 * error (could not tell) is an <error>, as JUnit separates broken checks from
 * failed ones. Each host also gets a `connect` case so an unreachable host
 * fails the build even though its probes never ran. Outbound checks form
 * their own suite.
 */

interface Case {
  name: string;
  classname: string;
  seconds: number;
  /** 'skipped': a planned check that did not run; 'warning': an exposure that does not fail the run. */
  verdict: Verdict | 'skipped' | 'warning';
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
/**
 * Jenkins splits a classname at its last dot into package and class, so a host
 * name's own dots (alloc01.dc1.example.com) would scatter one host over
 * packages: dots in names become `_`, and the one dot left separates the
 * roles (package) from the host (class).
 */
const undotted = (name: string): string => name.replace(/\./g, '_');
const classOf = (h: Pick<HostRecord, 'name' | 'roles'>): string => `${h.roles.join('+') || 'none'}.${undotted(h.name)}`;

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

/**
 * The first suite says whether the run is complete, so a CI page that lists
 * only failures shows an incomplete run as red even when every path that did
 * run passed; each host not checked is a skipped case with the reason.
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
    body: head.hostLines.join('\n'),
  };
  const gaps: Case[] = summary.hostsNotChecked.map((g) => ({
    name: `paths of ${g.name}`,
    classname: 'ece-preflight.run',
    seconds: 0,
    verdict: 'skipped',
    type: g.state,
    message: `not checked: ${g.reason}`,
    body: '',
  }));
  return { name: 'run', hostname: 'controller', properties: [['status', summary.status], ['headline', head.text]], cases: [complete, ...gaps] };
}

function suitesOf(result: RunResult): Suite[] {
  const exposuresFail = summaryOf(result).exposuresFail;
  const verdictOf = (v: Verdict): Case['verdict'] => (v === 'exposed' && !exposuresFail ? 'warning' : v);
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
  for (const p of probesOf(result.checks)) {
    const suite = suites.get(p.to);
    if (!suite) continue;
    const host = result.hosts.find((h) => h.name === p.to)!;
    suite.cases.push({
      name: pathName(p.from, p.to, p.port),
      classname: classOf(host),
      seconds: p.result.ms / 1000,
      verdict: verdictOf(p.verdict),
      type: p.result.outcome,
      message: message(p.verdict, p.result.outcome, p.expect, p.result.detail),
      body: [p.hint && `hint: ${p.hint}`, `rules: ${p.rules.join(', ')}`].filter(Boolean).join('\n'),
    });
  }
  const out = [runSuite(result), ...suites.values()];
  const outbound = outboundOf(result.checks);
  if (outbound.length > 0) {
    out.push({
      name: 'outbound',
      hostname: 'outbound',
      properties: [],
      cases: outbound.map((o) => ({
        name: pathName(o.from, o.to, o.port),
        classname: `outbound.${undotted(o.from)}`,
        seconds: o.result.ms / 1000,
        verdict: o.verdict,
        type: o.result.outcome,
        message: message(o.verdict, o.result.outcome, 'open', o.result.detail),
        body: [o.hint && `hint: ${o.hint}`, `rule: ${o.rules.join(', ')}`].filter(Boolean).join('\n'),
      })),
    });
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
  if (c.verdict === 'skipped') return `${open}>\n      <skipped message="${escapeAttr(c.message)}"/>\n    </testcase>`;
  // An exposure that does not fail the run passes, with the finding in its output.
  if (c.verdict === 'warning') return `${open}>\n      <system-out>${escapeXml(`warning: ${c.message}\n${c.body}`)}</system-out>\n    </testcase>`;
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
