import { z } from 'zod';
import { evalExpr, parseCondition } from '../playbook/expr.js';
import type { Module } from './types.js';

const args = z.strictObject({ msg: z.unknown().optional(), var: z.string().optional() });

/** Ansible's debug: print a message (templated) or a variable's value. */
export const debugModule: Module<z.infer<typeof args>> = {
  name: 'debug',
  description: 'Print a message or a variable',
  args,
  checkMode: 'full',
  phase: 'task',
  async run(ctx, a) {
    if (a.var !== undefined) {
      const value = evalExpr(parseCondition(a.var).ast, ctx.vars);
      return { status: 'ok', msg: `${a.var}: ${JSON.stringify(value)}`, data: { [a.var]: value } };
    }
    const msg = typeof a.msg === 'string' ? a.msg : JSON.stringify(a.msg ?? 'Hello world!');
    return { status: 'ok', msg };
  },
};
