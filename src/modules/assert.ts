import { z } from 'zod';
import { evalCondition, parseCondition } from '../playbook/expr.js';
import type { Module } from './types.js';

const args = z.strictObject({
  that: z.union([z.string(), z.array(z.string()).min(1)]),
  fail_msg: z.string().optional(),
  msg: z.string().optional(),
  success_msg: z.string().optional(),
  quiet: z.boolean().optional(),
});

/** Ansible's assert: every `that` expression must hold, over facts, vars and registered results. */
export const assertModule: Module<z.infer<typeof args>> = {
  name: 'assert',
  description: 'Fail unless every `that` expression holds (facts, vars, registered results)',
  args,
  checkMode: 'full',
  phase: 'task',
  async run(ctx, a) {
    for (const src of Array.isArray(a.that) ? a.that : [a.that]) {
      const ok = evalCondition(parseCondition(src).ast, ctx.vars);
      if (!ok) return { status: 'failed', msg: a.fail_msg ?? a.msg ?? 'Assertion failed', data: { assertion: src, evaluated_to: false } };
    }
    return { status: 'ok', msg: a.quiet ? undefined : (a.success_msg ?? 'All assertions passed') };
  },
};
