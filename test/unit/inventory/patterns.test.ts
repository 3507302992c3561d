import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseIni } from '../../../src/inventory/parse-ini.js';
import { limitFleet, selectHosts, splitHostPattern } from '../../../src/inventory/patterns.js';
import { toFleet } from '../../../src/inventory/fleet.js';

const model = parseIni(
  [
    'loose',
    '[directors]',
    'ctl[1:3]',
    '[proxies]',
    'proxy[1:2]',
    '[allocators]',
    'alloc[01:04]',
    '[zone1]',
    'ctl1',
    'proxy1',
    'alloc01',
    'alloc02',
    '[ece:children]',
    'directors',
    'proxies',
    'allocators',
    '[empty]',
  ].join('\n'),
  'p.ini',
);

describe('selectHosts', () => {
  // Expected orders are those of `ansible -i p.ini all --limit PATTERN --list-hosts`
  // (ansible-core 2.14): inventory order, where zone1 (a top-level group) lists
  // its hosts before the role groups nested under ece.
  it.each([
    ['all', ['loose', 'ctl1', 'proxy1', 'alloc01', 'alloc02', 'ctl2', 'ctl3', 'proxy2', 'alloc03', 'alloc04']],
    ['*', ['loose', 'ctl1', 'proxy1', 'alloc01', 'alloc02', 'ctl2', 'ctl3', 'proxy2', 'alloc03', 'alloc04']],
    ['proxies', ['proxy1', 'proxy2']],
    ['ece', ['ctl1', 'proxy1', 'alloc01', 'alloc02', 'ctl2', 'ctl3', 'proxy2', 'alloc03', 'alloc04']],
    ['ctl2', ['ctl2']],
    ['alloc*', ['alloc01', 'alloc02', 'alloc03', 'alloc04']],
    ['alloc0[!34]', ['alloc01', 'alloc02']],
    ['ctl?', ['ctl1', 'ctl2', 'ctl3']],
    // union keeps inventory order, whatever the order in the pattern
    ['proxies:directors', ['ctl1', 'proxy1', 'ctl2', 'ctl3', 'proxy2']],
    ['proxies,ctl1', ['ctl1', 'proxy1', 'proxy2']],
    ['ece:&zone1', ['ctl1', 'proxy1', 'alloc01', 'alloc02']],
    ['ece:!allocators', ['ctl1', 'proxy1', 'ctl2', 'ctl3', 'proxy2']],
    ['zone1:!proxy1', ['ctl1', 'alloc01', 'alloc02']],
    ['!ece', ['loose']],
    ['~(ctl|proxy)[12]', ['ctl1', 'proxy1', 'ctl2', 'proxy2']],
    ['allocators[0]', ['alloc01']],
    ['allocators[1:2]', ['alloc02', 'alloc03']],
    ['ungrouped', ['loose']],
    ['empty', []],
  ])('%s', (pattern, expected) => {
    expect(selectHosts(model, pattern)).toEqual(expected);
  });

  it.each(['nosuch', 'proxies:nosuch', 'ece:!typo', 'zz*', '~^q'])('%s matching nothing is a UsageError naming it', (p) => {
    const bad = p.replace(/^.*[:!]/, '');
    expect(() => selectHosts(model, p)).toThrow(UsageError);
    expect(() => selectHosts(model, p)).toThrow(`'${bad}'`);
  });

  it('reads `name[13]` as a subscript, as Ansible does, not as a glob', () => {
    expect(() => selectHosts(model, 'alloc0[13]')).toThrow("host pattern 'alloc0' matches no group or host");
  });

  it('rejects an invalid regex', () => {
    expect(() => selectHosts(model, '~(')).toThrow(UsageError);
  });

  it('splits like Ansible: commas, else colons unless the whole is one address', () => {
    expect(splitHostPattern('a:b')).toEqual(['a', 'b']);
    expect(splitHostPattern('a:&b:!c')).toEqual(['a', '&b', '!c']);
    expect(splitHostPattern('host[1:3]')).toEqual(['host[1:3]']);
    expect(splitHostPattern('198.18.0.1:22')).toEqual(['198.18.0.1:22']);
    expect(splitHostPattern(' a , b ')).toEqual(['a', 'b']);
  });

  it('limitFleet keeps fleet order', () => {
    const fleet = toFleet(model, 'p.ini');
    expect(limitFleet(fleet, model, 'zone1:!ctl1').hosts.map((h) => h.name)).toEqual(['proxy1', 'alloc01', 'alloc02']);
  });
});
