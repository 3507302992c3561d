import path from 'node:path';
import type { AnsibleConfig } from '../config/ansible-cfg.js';
import { defaultEngineOptions } from '../engine/options.js';
import { UsageError } from '../errors.js';
import type { HostDefaults } from '../inventory/fleet.js';
import type { HostKeyChecking } from '../transport/ssh-options.js';
import type { ConnectionArgs } from './common-options.js';
import type { CliIo } from './io.js';

/** Connection settings after Ansible's precedence: flag > ANSIBLE_* env > ansible.cfg > default. */
export interface ConnectionSettings {
  /** For hosts without their own ansible_user / key / ansible_become. */
  hostDefaults: HostDefaults;
  /** [privilege_escalation] become_user, kept for commands that escalate (a future play). */
  becomeUser?: string;
  connectTimeoutSec: number;
  forks: number;
  hostKeyChecking: HostKeyChecking;
  knownHosts?: string;
  /** Which of these were typed as flags: those beat inventory and ssh_config (--known-hosts is always a flag). */
  fromFlags?: { hostKeyChecking: boolean; timeout: boolean };
  verbosity: number;
  listHosts: boolean;
}

/** Ansible's DEFAULT_TIMEOUT. */
export const DEFAULT_CONNECT_TIMEOUT_SEC = 10;

export function connectionSettingsFrom(argv: ConnectionArgs, config: AnsibleConfig, io: CliIo): ConnectionSettings {
  const forks = argv.forks ?? config.forks?.value ?? defaultEngineOptions().forks;
  const timeout = argv.timeout ?? config.timeout?.value ?? DEFAULT_CONNECT_TIMEOUT_SEC;
  const check = (name: string, v: number, origin: string | undefined): void => {
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`${origin ? `${origin}: ` : ''}${name} must be a whole number of at least 1, got ${v}`);
  };
  check(argv.forks !== undefined ? '--forks' : 'forks', forks, argv.forks !== undefined ? undefined : config.forks?.origin);
  check(argv.timeout !== undefined ? '--timeout' : 'timeout', timeout, argv.timeout !== undefined ? undefined : config.timeout?.origin);
  const hostDefaults: HostDefaults = {};
  const user = argv.user ?? config.remoteUser?.value;
  if (user !== undefined) hostDefaults.user = user;
  const key = argv.privateKey !== undefined ? path.resolve(io.cwd, argv.privateKey) : config.privateKeyFile?.value;
  if (key !== undefined) hostDefaults.privateKeyFile = key;
  if (config.become !== undefined) hostDefaults.become = config.become.value;
  const hostKeyChecking: HostKeyChecking = argv.hostKeyChecking ?? (config.hostKeyChecking?.value === false ? 'off' : 'strict');
  return {
    hostDefaults,
    ...(config.becomeUser ? { becomeUser: config.becomeUser.value } : {}),
    connectTimeoutSec: timeout,
    forks,
    hostKeyChecking,
    ...(argv.knownHosts ? { knownHosts: argv.knownHosts } : {}),
    fromFlags: { hostKeyChecking: argv.hostKeyChecking !== undefined, timeout: argv.timeout !== undefined },
    verbosity: argv.verbose ?? 0,
    listHosts: argv.listHosts ?? false,
  };
}

/** `--list-hosts`, in the shape `ansible PATTERN --list-hosts` prints. */
export function formatListHosts(names: readonly string[]): string {
  return [`  hosts (${names.length}):`, ...names.map((n) => `    ${n}`)].join('\n') + '\n';
}
