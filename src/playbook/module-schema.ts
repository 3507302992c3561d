import { z } from 'zod';

/**
 * What the parser needs to know of a module: its argument schema. The
 * engine's catalogue passes these in, so parsing never imports the modules.
 *
 * Writing a schema: arguments are validated at parse time, before any
 * template is rendered, so wherever a user may write `{{ }}` instead of the
 * final type, wrap the type in `templatable()`:
 *
 *     args: z.strictObject({
 *       port: templatable(z.number().int().min(1).max(65535)),
 *       host: z.string(),            // a template is a string already
 *       state: z.enum(['present', 'absent']),  // a template here is refused
 *     })
 *
 * Use z.strictObject so a misspelt argument is an error with its line. After
 * rendering, the engine should safeParse the rendered arguments again: a
 * templated value then has its final type and the schema's real check runs.
 * Values from the `key=value` form (`ping: count=3`) arrive as strings, as
 * in Ansible: use z.coerce where such a form makes sense.
 */
export interface ModuleSchema {
  name: string;
  args: z.ZodType;
  /**
   * The module takes a free-form string as its value. 'command': the string
   * (or `cmd:`) is split with shell-like quoting into `argv: string[]`, each
   * `{{ }}` staying inside one argument. 'shell': it becomes `cmd: string`.
   */
  freeForm?: 'command' | 'shell';
}

export type ModuleCatalogue = ReadonlyMap<string, ModuleSchema>;

/** A string that still holds a `{{ }}` template. */
export const TEMPLATE_STRING = z.string().regex(/\{\{/, { message: 'expected a {{ template }}' });

/** `schema`, or a string holding a template that will render to a value `schema` accepts. */
export function templatable<T extends z.ZodType>(schema: T): z.ZodUnion<[T, typeof TEMPLATE_STRING]> {
  return z.union([schema, TEMPLATE_STRING]);
}
