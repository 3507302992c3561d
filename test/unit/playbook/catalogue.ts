import { z } from 'zod';
import { templatable, type ModuleCatalogue, type ModuleSchema } from '../../../src/playbook/module-schema.js';

/** A stand-in for the engine's module catalogue, shaped like the real modules will be. */
const schemas: ModuleSchema[] = [
  { name: 'command', freeForm: 'command', args: z.strictObject({ argv: z.array(z.string()).min(1), chdir: z.string().optional(), creates: z.string().optional() }) },
  { name: 'shell', freeForm: 'shell', args: z.strictObject({ cmd: z.string(), chdir: z.string().optional() }) },
  { name: 'debug', args: z.strictObject({ msg: z.unknown().optional(), var: z.string().optional() }) },
  {
    name: 'wait_for',
    args: z.strictObject({
      port: templatable(z.number().int().min(1).max(65535)),
      host: z.string().optional(),
      timeout: templatable(z.number().int().positive()).optional(),
      state: z.enum(['started', 'stopped']).optional(),
    }),
  },
  {
    name: 'firewall',
    args: z.strictObject({
      rules: z.array(z.strictObject({ port: templatable(z.number().int()), proto: z.enum(['tcp', 'udp']) })),
    }),
  },
  { name: 'assert', args: z.strictObject({ that: z.union([z.string(), z.array(z.string())]), fail_msg: z.string().optional() }) },
  { name: 'ping', args: z.strictObject({}) },
];

export const MODULES: ModuleCatalogue = new Map(schemas.map((s) => [s.name, s]));
