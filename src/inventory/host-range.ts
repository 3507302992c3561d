/**
 * Host keys as Ansible reads them in both inventory formats: an optional
 * `:port` suffix (ansible.parsing.utils.addresses.parse_address) and
 * `[a:b]` / `[a:b:step]` / `[a:z]` ranges (expand_hostname_range).
 * Errors are plain Error; the parsers add file and line.
 */

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const IPV6_C = `(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const IPV4_C = `(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
// Python's \w is Unicode-aware: Ansible reads `hôte1:2222` as host hôte1, port 2222.
const WORD = String.raw`[\p{L}\p{N}_]`;
const LABEL = String.raw`(?:${WORD}|${ALNUM_RANGE})(?:${WORD}|-|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(`^(?:${IPV4_C}\\.){3}${IPV4_C}$`, 'i');
const IPV6 = new RegExp(
  '^(?:' +
    [
      `(?:${IPV6_C}:){7}${IPV6_C}`,
      `(?:${IPV6_C}:){1,6}:`,
      `(?:${IPV6_C}:)(?::${IPV6_C}){1,6}`,
      `(?:${IPV6_C}:){2}(?::${IPV6_C}){1,5}`,
      `(?:${IPV6_C}:){3}(?::${IPV6_C}){1,4}`,
      `(?:${IPV6_C}:){4}(?::${IPV6_C}){1,3}`,
      `(?:${IPV6_C}:){5}(?::${IPV6_C}){1,2}`,
      `(?:${IPV6_C}:){6}(?::${IPV6_C})`,
      `:(?::${IPV6_C}){1,6}`,
      `${IPV6_C}?::`,
      `(?:0:){6}(?:${IPV6_C}\\.){3}${IPV6_C}`,
      `::(?:ffff:)?(?:${IPV6_C}\\.){3}${IPV6_C}`,
      `(?:0:){5}ffff:(?:${IPV6_C}\\.){3}${IPV6_C}`,
    ].join('|') +
    ')$',
  'i',
);
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu');

/**
 * Split `host:port`. Like Ansible, a key that is not a recognisable address
 * is taken whole with no port (so odd names still work as names).
 */
export function splitHostPort(key: string): { pattern: string; port: number | undefined } {
  let address = key;
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(address);
    if (m) {
      address = m[1]!;
      port = Number(m[2]);
    }
  }
  if (IPV4.test(address) || IPV6.test(address) || HOSTNAME.test(address)) return { pattern: address, port };
  return { pattern: key, port: undefined };
}

/** parse_address(allow_ranges=True) succeeds: an address, hostname or range, with an optional port. */
export function isAddressPattern(key: string): boolean {
  let address = key;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(address);
    if (m) address = m[1]!;
  }
  return IPV4.test(address) || IPV6.test(address) || HOSTNAME.test(address);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Expand every `[beg:end(:step)]` in a host key, leftmost first, as Ansible
 * does. Ansible silently yields no hosts for `[5:1]`; we refuse it, because
 * an empty range in an inventory is always a typo.
 */
/**
 * Most hosts one range line may name: Ansible expands whatever it is given,
 * but `h[1:10000000]` (a typo or a hostile file) would hold the controller
 * for minutes and gigabytes before anything useful happens.
 */
export const MAX_RANGE_HOSTS = 100_000;

export function expandHostRange(line: string, budget = MAX_RANGE_HOSTS): string[] {
  if (!line.includes('[')) return [line];
  const open = line.indexOf('[');
  const close = line.indexOf(']', open);
  if (close < 0) throw new Error(`host range '${line}' has no closing ']'`);
  const head = line.slice(0, open);
  const nrange = line.slice(open + 1, close);
  const tail = line.slice(close + 1);
  const bounds = nrange.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw new Error(`host range '[${nrange}]' must be begin:end or begin:end:step`);
  }
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  const stepText = bounds[2] ?? '1';
  if (!end) throw new Error(`host range '[${nrange}]' must specify an end value`);
  if (!/^[0-9]+$/.test(stepText) || Number(stepText) === 0) {
    throw new Error(`host range '[${nrange}]' has an invalid step '${stepText}'`);
  }
  const step = Number(stepText);
  let fill = (x: string | number): string => String(x);
  if (beg[0] === '0' && beg.length > 1) {
    if (beg.length !== end.length) {
      throw new Error(`host range '[${nrange}]' must specify equal-length begin and end formats`);
    }
    fill = (x) => String(x).padStart(beg.length, '0');
  }
  const tooMany = (n: number): void => {
    if (n > budget) throw new Error(`host range '${line}' names more than ${MAX_RANGE_HOSTS.toLocaleString('en')} hosts: split the inventory or narrow the range`);
  };
  let seq: Array<string | number>;
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw new Error(`host range '[${nrange}]' must have begin <= end`);
    tooMany(Math.floor((ie - ib) / step) + 1);
    seq = [];
    for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i]!);
  } else {
    if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(end)) {
      throw new Error(`host range '[${nrange}]' is neither numeric nor a single-letter range`);
    }
    tooMany(Math.floor((Number(end) - Number(beg)) / step) + 1);
    seq = [];
    for (let i = Number(beg); i <= Number(end); i += step) seq.push(i);
  }
  if (seq.length === 0) throw new Error(`host range '[${nrange}]' expands to no hosts (begin > end?)`);
  // Nested ranges multiply: each inner one gets what is left of the budget.
  const inner = Math.floor(budget / seq.length);
  return seq.flatMap((x) => expandHostRange(head + fill(x) + tail, inner));
}

/** Host key -> names and port, the way both inventory plugins call it. */
export function expandHostKey(key: string): { hosts: string[]; port: number | undefined } {
  const { pattern, port } = splitHostPort(key);
  return { hosts: expandHostRange(pattern), port };
}
