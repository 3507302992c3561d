import { z } from 'zod';
import { becomeFailure } from '../transport/become.js';
import { connectionFor } from './agent-session.js';
import type { Module } from './types.js';

/** Ansible's ping: the host answers a command over the connection (and with become, through sudo). */
export const pingModule: Module<Record<string, never>> = {
  name: 'ping',
  description: 'Connect and run a no-op on the host (with become: through sudo)',
  args: z.strictObject({}),
  checkMode: 'full',
  phase: 'task',
  async run(ctx) {
    const r = await connectionFor(ctx).exec('echo pong');
    if (r.code !== 0 || r.stdout.trim() !== 'pong') {
      return { status: 'failed', msg: becomeFailure(r.stderr) ?? (r.stderr.trim().split('\n').pop() || `exit ${r.code}`) };
    }
    return { status: 'ok', msg: 'pong' };
  },
};
