import { z } from 'zod';

/**
 * The published shape (docs/REPORT-SCHEMA.md) of what the renderers read
 * from a re-read run, checked before any of it reaches a report: a crafted
 * run.json whose counts or ports are strings (markup) is refused, not
 * rendered. Objects stay open (`looseObject`): additive fields are allowed,
 * as the versioning rule says.
 */
const str = z.string();
const num = z.number().finite();
const verdict = z.enum(['ok', 'blocked', 'exposed', 'error']);
const outcome = z.enum(['open', 'refused', 'filtered', 'unreachable', 'unresolved', 'error']);

const check = z.looseObject({
  kind: z.enum(['probe', 'outbound']),
  id: str,
  from: str,
  to: str,
  address: str,
  port: z.number().int().min(0).max(65535),
  expect: z.enum(['open', 'closed']),
  rules: z.array(str),
  result: z.looseObject({
    outcome,
    ms: num,
    detail: str.optional(),
    retried: z.boolean().optional(),
    proxy: z.looseObject({ address: str, at: z.enum(['proxy', 'connect']), status: str.optional(), resolvedBy: str }).optional(),
  }),
  verdict,
  hint: str.optional(),
  carriedFrom: str.optional(),
});

const host = z.looseObject({
  name: str,
  address: str,
  roles: z.array(z.enum(['director', 'coordinator', 'proxy', 'allocator'])),
  rolesSource: str,
  state: str,
  error: str.optional(),
  errorKind: str.optional(),
  firewallInputs: z
    .looseObject({ sshPort: z.number().int().min(1).max(65535), connection: z.enum(['ssh', 'local']), clientCidrs: z.array(str), adminCidrs: z.array(str), eceVersion: str.optional() })
    .optional(),
});

const counts = { ok: num, blocked: num, exposed: num, error: num };

export const RUN_SCHEMA = z.looseObject({
  schema: str,
  tool: z.looseObject({ name: z.literal('ece-preflight'), version: str }),
  catalogVersion: str,
  inventory: str,
  startedAt: str,
  endedAt: str,
  durationMs: num,
  interrupted: z.boolean(),
  exitCode: z.number().int(),
  hosts: z.array(host),
  checks: z.array(check),
  warnings: z.array(z.looseObject({ host: str.optional(), code: str, message: str })),
  recap: z.record(str, z.looseObject({ ...counts, unreachable: z.boolean(), failed: z.boolean() })),
  totals: z.looseObject({ ...counts, skipped: num }),
  superseded: z.array(z.looseObject({ play: str, task: str, checks: num, verdicts: z.looseObject(counts) })).optional(),
});

/** The first problem, as `checks[3].port: expected number`. */
export function firstIssue(error: z.ZodError): string {
  const i = error.issues[0]!;
  const where = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return `${where || 'run'}: ${i.message}`;
}
