import { z } from 'zod';
import { shellQuote } from '../transport/become.js';
import { connectionFor } from './agent-session.js';
import type { Module, ModuleResult } from './types.js';

const args = z.strictObject({
  /** command: the program and its arguments, each quoted for the shell (no shell features). */
  argv: z.array(z.string()).min(1).optional(),
  /** shell: a shell command line, as written. */
  cmd: z.string().min(1).optional(),
  chdir: z.string().optional(),
  /** Skip when this path exists on the host (Ansible's idempotence hint). */
  creates: z.string().optional(),
  /** Skip when this path does not exist. */
  removes: z.string().optional(),
  stdin: z.string().optional(),
  timeout_ms: z.number().int().min(1).optional(),
});
type Args = z.infer<typeof args>;

/** The shell line a task runs: argv quoted word by word (command), or the line itself (shell). Pure. */
export function commandLine(a: Args): string {
  const body = a.argv ? a.argv.map(shellQuote).join(' ') : a.cmd;
  if (!body) throw new Error('give argv (command) or cmd (shell)');
  const guards = [
    a.creates !== undefined ? `if [ -e ${shellQuote(a.creates)} ]; then echo "##skip creates"; exit 0; fi` : '',
    a.removes !== undefined ? `if [ ! -e ${shellQuote(a.removes)} ]; then echo "##skip removes"; exit 0; fi` : '',
    a.chdir !== undefined ? `cd ${shellQuote(a.chdir)} || exit 1` : '',
  ].filter(Boolean);
  return [...guards, body].join('\n');
}

function runCommand(kind: 'command' | 'shell') {
  return async (ctx: Parameters<Module<Args>['run']>[0], a: Args): Promise<ModuleResult> => {
    const line = commandLine(kind === 'command' ? { ...a, cmd: undefined } : { ...a, argv: undefined, cmd: a.cmd ?? a.argv?.join(' ') });
    const r = await connectionFor(ctx).exec(line, { stdin: a.stdin, timeoutMs: a.timeout_ms });
    const skipped = /^##skip (creates|removes)$/m.exec(r.stdout);
    if (skipped && r.code === 0) return { status: 'ok', msg: `skipped, since ${skipped[1] === 'creates' ? `${a.creates} exists` : `${a.removes} does not exist`}` };
    const data = {
      rc: r.code,
      stdout: r.stdout.replace(/\n$/, ''),
      stderr: r.stderr.replace(/\n$/, ''),
      stdout_lines: r.stdout.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1),
      cmd: a.argv ?? a.cmd,
    };
    if (r.code !== 0) {
      const why =
        r.signal === 'TIMEOUT'
          ? `timed out after ${a.timeout_ms} ms`
          : r.code === null && !r.signal
            ? 'the command ended without an exit status from the host (session closed early)'
            : `non-zero return code ${r.code ?? r.signal}`;
      return { status: 'failed', msg: `${why}${data.stderr ? `: ${data.stderr.split('\n').pop()}` : ''}`, data };
    }
    // Like Ansible: a command is `changed` (the engine cannot know); changed_when says otherwise.
    return { status: 'changed', msg: data.stdout.split('\n')[0] ?? '', data };
  };
}

export const commandModule: Module<Args> = {
  name: 'command',
  description: 'Run a program with arguments on the host (no shell); `changed` unless changed_when says otherwise',
  args,
  freeForm: 'command',
  checkMode: 'none',
  phase: 'task',
  run: runCommand('command'),
};

export const shellModule: Module<Args> = {
  name: 'shell',
  description: 'Run a shell command line on the host',
  args,
  freeForm: 'shell',
  checkMode: 'none',
  phase: 'task',
  run: runCommand('shell'),
};
