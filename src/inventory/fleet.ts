import { isIP } from 'node:net';
import { ParseError } from '../errors.js';
import type { Endpoint, Fleet, FleetHost } from '../model/fleet.js';
import { ROLE_GROUP_NAMES, isRole, sortRoles, ROLES, type Role } from '../model/roles.js';
import type { InventoryModel, Origin } from './model.js';
import { allHosts, groupsOfHost } from './model.js';
import { hostVars } from './merge-vars.js';
import { parsePythonLiteral } from './python-literal.js';
import { isVaultValue } from './vault.js';
import { parseNoProxyEntry } from '../model/no-proxy.js';

const DEFAULT_REGISTRY: Endpoint = { host: 'docker.elastic.co', port: 443 };
/** Where ECE's install page fetches the script: https://download.elastic.co/cloud/elastic-cloud-enterprise.sh. */
const DEFAULT_INSTALL_SCRIPT: Endpoint = { host: 'download.elastic.co', port: 443 };
const SSH_CONNECTIONS = new Set(['ssh', 'smart', 'paramiko', 'paramiko_ssh']);

/**
 * What a host gets when its inventory does not say: -u / remote_user,
 * --private-key / private_key_file, become. Inventory vars win over these,
 * as ansible_user wins over `ansible -u` (only -e beats the inventory).
 */
export interface HostDefaults {
  user?: string;
  privateKeyFile?: string;
  become?: boolean;
}

/** The vars this file reads: a vaulted one among them cannot be used. */
const VARS_WE_READ = [
  'ansible_host',
  'ansible_port',
  'ansible_user',
  'ansible_connection',
  'ansible_become',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_ssh_common_args',
  'ece_roles',
  'ece_registry',
  'ece_docker_registry',
  'ece_snapshot_repos',
  'ece_install_script_host',
  'ece_https_proxy',
  'ece_no_proxy',
  'ece_client_cidrs',
  'ece_admin_cidrs',
  'ece_zone',
  'availability_zone',
  'ece_version',
  'ece_host_ip',
  'ece_primary',
];

/**
 * Resolve every inventory host (in inventory order) into what the plan and
 * engine need. Errors name the host, the var, and where the var was set.
 */
export function toFleet(model: InventoryModel, source: string, defaults: HostDefaults = {}, only?: readonly string[]): Fleet {
  // Hosts outside --limit are not resolved: their vars cannot stop the run.
  const keep = only ? new Set(only) : undefined;
  const everyHost = allHosts(model);
  const names = everyHost.filter((h) => !keep || keep.has(h));
  const firstHost = markedFirstHost(model, everyHost);
  const hosts = names.map((h) => resolveHost(model, h, defaults));
  for (const h of hosts) if (h.name === firstHost) h.primary = true;
  return { source, hosts, ...(firstHost ? { firstHost } : {}) };
}

/**
 * The ECE first host as Elastic's role marks it: `ece_primary: true`, or a
 * member of the `primary` group (an explicit `ece_primary: false` unmarks).
 * Read over every inventory host, not only --limit's: a selection never
 * changes which host is the first host. Two marked hosts: exit 4, naming both.
 */
function markedFirstHost(model: InventoryModel, names: readonly string[]): string | undefined {
  const marked: { name: string; at: Origin; why: string }[] = [];
  for (const name of names) {
    const { vars, origins } = hostVars(model, name);
    const at: Origin = origins['ece_primary'] ?? model.hosts.get(name)!.origin;
    let primary: boolean | undefined;
    if (vars['ece_primary'] !== undefined && !isVaultValue(vars['ece_primary'])) {
      primary = ansibleBool(vars['ece_primary']);
      if (primary === undefined) throw new ParseError(`host ${name}: ece_primary: not a boolean: ${JSON.stringify(vars['ece_primary'])}`, at.file, at.line);
    }
    const inGroup = groupsOfHost(model, name).has('primary');
    if (primary ?? inGroup) marked.push({ name, at, why: primary ? 'ece_primary: true' : "group 'primary'" });
  }
  if (marked.length > 1) {
    const [a, b] = marked as [(typeof marked)[0], (typeof marked)[0]];
    throw new ParseError(
      `two ECE first hosts: ${a.name} (${a.why}) and ${b.name} (${b.why})${marked.length > 2 ? ` and ${marked.length - 2} more` : ''}; an installation has one (mark one host with ece_primary: true or the primary group)`,
      b.at.file,
      b.at.line,
    );
  }
  return marked[0]?.name;
}

function resolveHost(model: InventoryModel, name: string, defaults: HostDefaults): FleetHost {
  const { vars, origins } = hostVars(model, name);
  const fail = (key: string, msg: string): never => {
    const at: Origin = origins[key] ?? model.hosts.get(name)!.origin;
    throw new ParseError(`host ${name}: ${key}: ${msg}`, at.file, at.line);
  };
  for (const key of VARS_WE_READ) {
    if (isVaultValue(vars[key])) {
      fail(key, `is vault-encrypted and ece-preflight does not decrypt; give it in plain text (or -e ${key}=...)`);
    }
  }
  const str = (key: string): string | undefined => {
    const v = vars[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    return fail(key, `expected a string, got ${JSON.stringify(v)}`);
  };

  const port = parsePort(vars['ansible_port'], 22, (m) => fail('ansible_port', m));

  const conn = str('ansible_connection') ?? 'ssh';
  let connection: FleetHost['connection'];
  if (conn === 'local') connection = 'local';
  else if (SSH_CONNECTIONS.has(conn)) connection = 'ssh';
  else return fail('ansible_connection', `unsupported connection '${conn}' (use ssh or local)`);

  let become = defaults.become ?? false;
  if (vars['ansible_become'] !== undefined) {
    const b = ansibleBool(vars['ansible_become']);
    if (b === undefined) fail('ansible_become', `not a boolean: ${JSON.stringify(vars['ansible_become'])}`);
    become = b!;
  }

  const groups = [...groupsOfHost(model, name)].filter((g) => g !== 'all').sort();
  const groupRoles = groups.map((g) => ROLE_GROUP_NAMES[g]).filter((r): r is Role => r !== undefined);
  const varRoles = listOrComma(vars['ece_roles'], (m) => fail('ece_roles', m)).map((r) => {
    if (!isRole(r)) fail('ece_roles', `unknown role '${r}' (known: ${ROLES.join(', ')})`);
    return r as Role;
  });
  let roles = sortRoles([...groupRoles, ...varRoles]);
  let rolesSource: FleetHost['rolesSource'] = varRoles.length ? 'ece_roles' : 'groups';
  if (roles.length === 0) {
    // Elastic's Ansible role gives a host all four roles when ece_roles is unset.
    roles = [...ROLES];
    rolesSource = 'default-all';
  }

  const registryText = str('ece_registry') !== undefined ? 'ece_registry' : 'ece_docker_registry';
  const registryValue = str(registryText);
  const registry = registryValue === undefined ? { ...DEFAULT_REGISTRY } : parseEndpoint(registryValue, 443, (m) => fail(registryText, m));

  const scriptValue = str('ece_install_script_host');
  const installScript = scriptValue === undefined ? { ...DEFAULT_INSTALL_SCRIPT } : parseEndpoint(scriptValue, 443, (m) => fail('ece_install_script_host', m));
  const proxyValue = str('ece_https_proxy');
  const httpsProxy = proxyValue === undefined || proxyValue.trim() === '' ? undefined : parseProxy(proxyValue, (m) => fail('ece_https_proxy', m));
  const noProxy = listOrComma(vars['ece_no_proxy'], (m) => fail('ece_no_proxy', m)).map((t) => {
    const e = parseNoProxyEntry(t);
    return typeof e === 'string' ? fail('ece_no_proxy', e) : e;
  });

  const snapshotRepos = parseEndpoints(vars['ece_snapshot_repos'], (m) => fail('ece_snapshot_repos', m));
  const sshAddress = str('ansible_host') ?? name;
  if (!isHostName(sshAddress)) fail(str('ansible_host') ? 'ansible_host' : 'name', `not a host name or address: ${JSON.stringify(sshAddress)}`);
  // ECE's host IP (the installer's --host-ip) is where other hosts connect; SSH keeps ansible_host.
  const eceHostIp = str('ece_host_ip')?.trim();
  if (eceHostIp !== undefined && isIP(eceHostIp) === 0) fail('ece_host_ip', `not an IP address: ${JSON.stringify(eceHostIp)} (ECE's --host-ip takes an address)`);
  const host: FleetHost = {
    name,
    address: eceHostIp ?? sshAddress,
    addressSource: eceHostIp !== undefined ? 'ece_host_ip' : str('ansible_host') !== undefined ? 'ansible_host' : 'name',
    sshAddress,
    ...(eceHostIp !== undefined ? { eceHostIp } : {}),
    port,
    connection,
    become,
    roles,
    rolesSource,
    registry,
    installScript,
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(noProxy.length ? { noProxy } : {}),
    snapshotRepos,
    clientCidrs: listOrComma(vars['ece_client_cidrs'], (m) => fail('ece_client_cidrs', m)),
    adminCidrs: listOrComma(vars['ece_admin_cidrs'], (m) => fail('ece_admin_cidrs', m)),
    groups,
    vars,
  };
  const optional: Array<[keyof FleetHost, string | undefined]> = [
    ['user', str('ansible_user') ?? defaults.user],
    ['privateKeyFile', str('ansible_ssh_private_key_file') ?? str('ansible_private_key_file') ?? defaults.privateKeyFile],
    ['sshCommonArgs', str('ansible_ssh_common_args')],
    ['zone', str('ece_zone') ?? str('availability_zone')],
    ['eceVersion', str('ece_version')],
  ];
  for (const [k, v] of optional) if (v !== undefined) (host as unknown as Record<string, unknown>)[k] = v;
  return host;
}

/** Ansible's module_utils.parsing.convert_bool.boolean. */
export function ansibleBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const s = typeof v === 'string' ? v.toLowerCase() : typeof v === 'number' ? String(v) : undefined;
  if (s === undefined) return undefined;
  if (['y', 'yes', 'on', '1', 'true', 't', '1.0'].includes(s)) return true;
  if (['n', 'no', 'off', '0', 'false', 'f', '0.0'].includes(s)) return false;
  return undefined;
}

// Checked by hand, not with zod: loading zod costs `plan` ~50 ms of start-up for three checks.
const isPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

function parsePort(v: unknown, fallback: number, fail: (m: string) => never): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' && !(typeof v === 'string' && /^\s*\d+\s*$/.test(v))) {
    return fail(`not a port number: ${JSON.stringify(v)}`);
  }
  const n = Number(v);
  if (!isPort(n)) return fail(`port must be 1..65535, got ${JSON.stringify(v)}`);
  return n;
}

/**
 * A list of strings, or one comma-separated string (INI users write `a,b`).
 * A string that reads as a list literal (`-e 'ece_roles=["director"]'`) is
 * that list, as Ansible's templating turns it into one.
 */
function listOrComma(v: unknown, fail: (m: string) => never): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string' && v.trim().startsWith('[')) {
    const parsed = parsePythonLiteral(v.trim());
    if (Array.isArray(parsed)) return listOrComma(parsed, fail);
  }
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' || typeof s === 'number')) {
    return fail(`expected a list of strings or a comma-separated string, got ${JSON.stringify(v)}`);
  }
  return v.map((s) => String(s).trim()).filter(Boolean);
}

/** `host`, `host:port` or `[v6]:port`. */
function parseEndpoint(text: string, defaultPort: number, fail: (m: string) => never): Endpoint {
  const t = text.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(t) ?? /^([^:]+)(?::(\d+))?$/.exec(t);
  if (!m || !m[1] || !isHostName(m[1])) return fail(`expected host or host:port, got ${JSON.stringify(text)}`);
  const port = m[2] === undefined ? defaultPort : parsePort(m[2], defaultPort, fail);
  return { host: m[1], port };
}

/**
 * ece_https_proxy: `host:port` or `http://host:port` (what https_proxy
 * usually holds: a plain HTTP proxy that tunnels with CONNECT). Refused: a
 * proxy spoken to over TLS (`https://`), credentials in the value (they would
 * land in reports; a proxy that wants them answers 407, which the check
 * reports), a value without a port.
 */
function parseProxy(text: string, fail: (m: string) => never): Endpoint {
  const t = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(t)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http') {
    return fail(`only a plain HTTP proxy (host:port or http://host:port, tunnelling with CONNECT) is supported, got scheme '${scheme}'`);
  }
  const rest = scheme === undefined ? t : t.slice(scheme.length + 3);
  if (rest.includes('@')) return fail('credentials in the proxy value are not supported (they would be written to reports): give host:port; a proxy that wants authentication answers 407, and the check says it could not tell');
  const hostPort = rest.replace(/\/$/, '');
  if (hostPort.includes('/')) return fail(`expected host:port or http://host:port, got ${JSON.stringify(text)}`);
  const hasPort = /\]:\d+$/.test(hostPort) || (!hostPort.startsWith('[') && /^[^:]+:\d+$/.test(hostPort));
  if (!hasPort && scheme === undefined) return fail(`expected host:port (the proxy's port, e.g. proxy.example:3128), got ${JSON.stringify(text)}`);
  return parseEndpoint(hostPort, 80, fail);
}

/**
 * A DNS name (letters of any script, as Ansible and IDNs allow: `hôte1`,
 * `сервер`), an IPv4 or an IPv6 address. Anything else (spaces, `$(...)`,
 * quotes, `/`) cannot name a host and is refused here, at the inventory, so
 * it can never reach a probe or a shell.
 */
export function isHostName(text: string): boolean {
  return /^[\p{L}\p{M}\p{N}_.-]+$/u.test(text) || /^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$/.test(text);
}

/** `{host, port?}` (port default 443), or undefined when it is not one. */
function endpointObject(item: unknown): Endpoint | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const { host, port } = item as { host?: unknown; port?: unknown };
  if (typeof host !== 'string' || !isHostName(host)) return undefined;
  const n = port === undefined ? 443 : typeof port === 'number' || (typeof port === 'string' && /^\s*\d+\s*$/.test(port)) ? Number(port) : NaN;
  return isPort(n) ? { host, port: n } : undefined;
}

function parseEndpoints(v: unknown, fail: (m: string) => never): Endpoint[] {
  if (v === undefined || v === null) return [];
  const items = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  if (!Array.isArray(items)) return fail(`expected a list of host:port strings or {host, port}, got ${JSON.stringify(v)}`);
  return items.map((item) => {
    if (typeof item === 'string') return parseEndpoint(item, 443, fail);
    return endpointObject(item) ?? fail(`bad entry ${JSON.stringify(item)}: expected host:port or {host, port} with port 1..65535`);
  });
}
