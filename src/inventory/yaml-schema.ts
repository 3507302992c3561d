import yaml from 'js-yaml';
import { VaultValue } from './vault.js';

/**
 * Ansible reads YAML with PyYAML, i.e. YAML 1.1: `yes`/`on` are booleans,
 * `0755` is octal, `1_000` is an int, `1e3` is a string. js-yaml speaks 1.2,
 * so we give it PyYAML's implicit resolvers. `ansible_become: yes` must be
 * true for us exactly when it is true for Ansible. Timestamps stay strings
 * (Ansible prints dates back as ISO strings anyway).
 */

const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT_RE = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;

function sexagesimal(text: string): number {
  let value = 0;
  for (const part of text.split(':')) value = value * 60 + Number(part);
  return value;
}

const bool11 = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (d: string | null) => d !== null && BOOL_RE.test(d),
  construct: (d: string) => /^(?:yes|true|on)$/i.test(d),
  predicate: (o: unknown) => typeof o === 'boolean',
  represent: (o: object) => String(o),
});

const int11 = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (d: string | null) => d !== null && INT_RE.test(d),
  construct: (d: string) => {
    let v = d.replace(/_/g, '');
    let sign = 1;
    if (v[0] === '-' || v[0] === '+') {
      if (v[0] === '-') sign = -1;
      v = v.slice(1);
    }
    if (v === '0') return 0;
    if (v.startsWith('0b')) return sign * parseInt(v.slice(2), 2);
    if (v.startsWith('0x')) return sign * parseInt(v.slice(2), 16);
    if (v.includes(':')) return sign * sexagesimal(v);
    if (v[0] === '0') return sign * parseInt(v, 8);
    return sign * Number(v);
  },
  predicate: (o: unknown) => typeof o === 'number' && Number.isInteger(o),
  represent: (o: object) => String(o),
});

const float11 = new yaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (d: string | null) => d !== null && FLOAT_RE.test(d),
  construct: (d: string) => {
    let v = d.replace(/_/g, '').toLowerCase();
    let sign = 1;
    if (v[0] === '-' || v[0] === '+') {
      if (v[0] === '-') sign = -1;
      v = v.slice(1);
    }
    if (v === '.inf') return sign * Infinity;
    if (v === '.nan') return NaN;
    if (v.includes(':')) return sign * sexagesimal(v);
    return sign * Number(v);
  },
  predicate: (o: unknown) => typeof o === 'number',
  represent: (o: object) => String(o),
});

const null11 = new yaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (d: string | null) => d === null || NULL_RE.test(d),
  construct: () => null,
  predicate: (o: unknown) => o === null,
  represent: () => '~',
});

/** Ansible's `!unsafe` marks a string that must not be templated: for us, a string. */
const unsafe = new yaml.Type('!unsafe', { kind: 'scalar', construct: (d: string | null) => d ?? '' });

/** `!vault |` holds ciphertext; kept as an opaque value (see vault.ts). */
const vault = new yaml.Type('!vault', {
  kind: 'scalar',
  construct: (d: string | null) => new VaultValue(d ?? ''),
  instanceOf: VaultValue,
  represent: (o: object) => (o as VaultValue).ciphertext,
});

// js-yaml exports its built-in types at runtime; @types/js-yaml does not declare them.
const builtin = (yaml as unknown as { types: Record<'merge' | 'binary' | 'omap' | 'pairs' | 'set', yaml.Type> }).types;

export const ANSIBLE_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [null11, bool11, int11, float11, builtin.merge],
  explicit: [builtin.binary, builtin.omap, builtin.pairs, builtin.set, unsafe, vault],
});
