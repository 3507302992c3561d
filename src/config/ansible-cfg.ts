import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { expandUserPath } from '../inventory/paths.js';
import { unquote } from '../inventory/parse-kv.js';
import { IniError, parseIni, type IniFile } from './ini-file.js';

/** One setting and where it came from: `env: ANSIBLE_FORKS` or `/path/ansible.cfg:12`. */
export interface Setting<T> {
  value: T;
  origin: string;
}

/**
 * The Ansible settings ece-preflight honours, as Ansible resolves them: an
 * environment variable over ansible.cfg; absent when neither sets it, so the
 * caller applies its own default and lets a command-line flag win over all.
 * Ansible's defaults, for reference: forks 5 (ours 50), timeout 10,
 * host_key_checking true, become false, become_user root.
 */
export interface AnsibleConfig {
  /** The ansible.cfg that was read, if any. */
  file?: string;
  /** [defaults] inventory / ANSIBLE_INVENTORY: comma-separated paths, resolved. */
  inventory?: Setting<string[]>;
  /** [defaults] remote_user / ANSIBLE_REMOTE_USER */
  remoteUser?: Setting<string>;
  /** [defaults] private_key_file / ANSIBLE_PRIVATE_KEY_FILE, resolved */
  privateKeyFile?: Setting<string>;
  /** [defaults] host_key_checking / ANSIBLE_HOST_KEY_CHECKING */
  hostKeyChecking?: Setting<boolean>;
  /** [defaults] forks / ANSIBLE_FORKS */
  forks?: Setting<number>;
  /** [defaults] timeout / ANSIBLE_TIMEOUT: SSH connect timeout, seconds */
  timeout?: Setting<number>;
  /** [privilege_escalation] become / ANSIBLE_BECOME */
  become?: Setting<boolean>;
  /** [privilege_escalation] become_user / ANSIBLE_BECOME_USER */
  becomeUser?: Setting<string>;
  /** Things Ansible would warn about (an ansible.cfg skipped in a world-writable folder). */
  warnings: string[];
}

export interface ConfigLookup {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** For ~/.ansible.cfg and `~` in paths (default: HOME from env, else the OS). */
  home?: string;
  /** Default /etc/ansible/ansible.cfg; tests point it elsewhere. */
  systemFile?: string;
}

type Kind = 'pathlist' | 'path' | 'string' | 'boolean' | 'integer';

interface Definition {
  key: keyof Omit<AnsibleConfig, 'file' | 'warnings'>;
  env: string;
  section: string;
  ini: string;
  kind: Kind;
}

// From ansible/config/base.yml (ansible-core 2.14).
const DEFINITIONS: Definition[] = [
  { key: 'inventory', env: 'ANSIBLE_INVENTORY', section: 'defaults', ini: 'inventory', kind: 'pathlist' },
  { key: 'remoteUser', env: 'ANSIBLE_REMOTE_USER', section: 'defaults', ini: 'remote_user', kind: 'string' },
  { key: 'privateKeyFile', env: 'ANSIBLE_PRIVATE_KEY_FILE', section: 'defaults', ini: 'private_key_file', kind: 'path' },
  { key: 'hostKeyChecking', env: 'ANSIBLE_HOST_KEY_CHECKING', section: 'defaults', ini: 'host_key_checking', kind: 'boolean' },
  { key: 'forks', env: 'ANSIBLE_FORKS', section: 'defaults', ini: 'forks', kind: 'integer' },
  { key: 'timeout', env: 'ANSIBLE_TIMEOUT', section: 'defaults', ini: 'timeout', kind: 'integer' },
  { key: 'become', env: 'ANSIBLE_BECOME', section: 'privilege_escalation', ini: 'become', kind: 'boolean' },
  { key: 'becomeUser', env: 'ANSIBLE_BECOME_USER', section: 'privilege_escalation', ini: 'become_user', kind: 'string' },
];

/**
 * Which ansible.cfg Ansible reads (config/manager.py find_ini_config_file),
 * the first that exists and is readable: $ANSIBLE_CONFIG (a folder means its
 * ansible.cfg), ./ansible.cfg unless the working folder is world-writable
 * (then skipped with a warning), ~/.ansible.cfg, /etc/ansible/ansible.cfg.
 */
export function findAnsibleCfg(lookup: ConfigLookup, warnings: string[] = []): string | undefined {
  const home = homeOf(lookup);
  const candidates: string[] = [];
  const fromEnv = lookup.env['ANSIBLE_CONFIG'];
  let envPath: string | undefined;
  if (fromEnv !== undefined) {
    envPath = path.resolve(lookup.cwd, expandUserPath(fromEnv, home, lookup.env));
    if (isDir(envPath)) envPath = path.join(envPath, 'ansible.cfg');
    candidates.push(envPath);
  }
  const cwdCfg = path.join(lookup.cwd, 'ansible.cfg');
  let skippedCwd = false;
  try {
    if (statSync(lookup.cwd).mode & 0o002) skippedCwd = existsSync(cwdCfg);
    else candidates.push(cwdCfg);
  } catch {
    // An unreadable working folder is simply not a config source.
  }
  candidates.push(path.join(home, '.ansible.cfg'));
  candidates.push(lookup.systemFile ?? '/etc/ansible/ansible.cfg');
  const found = candidates.find(readable);
  if (skippedCwd && found !== envPath) {
    warnings.push(`Ansible is being run in a world writable directory (${lookup.cwd}), ignoring it as an ansible.cfg source.`);
  }
  return found;
}

/** The settings from the environment and the ansible.cfg found; a bad value is one UsageError line naming where it was set. */
export function readAnsibleConfig(lookup: ConfigLookup): AnsibleConfig {
  const warnings: string[] = [];
  const file = findAnsibleCfg(lookup, warnings);
  let ini: IniFile = new Map();
  if (file) {
    try {
      ini = parseIni(readFileSync(file, 'utf8'));
    } catch (e) {
      if (e instanceof IniError) throw new UsageError(`${file}:${e.line}: Error reading config file: ${e.message}`);
      throw e;
    }
  }
  const config: AnsibleConfig = { warnings, ...(file ? { file } : {}) };
  const home = homeOf(lookup);
  for (const d of DEFINITIONS) {
    const envValue = lookup.env[d.env];
    let raw: string | undefined;
    let origin: string;
    let base: string;
    if (envValue !== undefined) {
      raw = envValue;
      origin = `env: ${d.env}`;
      base = lookup.cwd;
    } else {
      const entry = ini.get(d.section)?.get(d.ini);
      if (!entry) continue;
      raw = entry.value;
      origin = `${file}:${entry.line}`;
      // Relative paths in ansible.cfg are relative to its folder.
      base = path.dirname(file!);
    }
    const value = convert(raw, d.kind, { base, home, env: lookup.env }, () => `${origin}: ${d.section === 'defaults' ? '' : `[${d.section}] `}${d.ini}`);
    (config as unknown as Record<string, Setting<unknown>>)[d.key] = { value, origin };
  }
  return config;
}

function convert(raw: string, kind: Kind, ctx: { base: string; home: string; env: NodeJS.ProcessEnv }, where: () => string): unknown {
  const resolvePath = (p: string): string => path.resolve(ctx.base, expandUserPath(p.replace(/\{\{CWD\}\}/g, process.cwd()), ctx.home, ctx.env));
  switch (kind) {
    case 'pathlist':
      return raw.split(',').map((x) => x.trim()).filter(Boolean).map(resolvePath);
    case 'path':
      return resolvePath(unquote(raw));
    case 'boolean':
      // module_utils boolean(strict=False): anything not truthy is false; quotes
      // are not removed first, so `"True"` is false in Ansible too.
      return ['y', 'yes', 'on', '1', 'true', 't'].includes(raw.trim().toLowerCase());
    case 'integer': {
      const t = raw.trim().replace(/_/g, '');
      if (!/^[+-]?\d+$/.test(t)) throw new UsageError(`${where()}: expected a whole number, got ${JSON.stringify(raw)}`);
      return Number(t);
    }
    default:
      return unquote(raw);
  }
}

function homeOf(lookup: ConfigLookup): string {
  return lookup.home ?? lookup.env['HOME'] ?? os.homedir();
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readable(p: string): boolean {
  try {
    accessSync(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
