import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LabHost } from './lab-files.js';
import { sleep } from './netns.js';
import { tcpOpen } from './sshd.js';
import { nsenterArgv, waitForChild } from './host-init.js';

/** The port the lab inventory names as ece_registry on h1. */
export const REGISTRY_PORT = 443;

/**
 * A stand-in for docker.elastic.co on the first lab host, so the outbound
 * checks have a target inside the lab (the lab has no route out, by design).
 * A plain HTTP server on 443 is enough: the check is a TCP connect.
 * labDown ends it with every other process in the lab's namespaces.
 */
export async function startRegistryStandIn(h: LabHost, readyTimeoutMs = 10_000): Promise<number> {
  const root = path.join(h.dir, 'registry');
  await mkdir(root, { recursive: true });
  // http.server's default listen backlog is 5: fifty hosts checking at once
  // would see dropped SYNs. A threading server with a fleet-sized backlog.
  const server =
    'import http.server as s, sys; s.ThreadingHTTPServer.request_queue_size = 512; ' +
    's.ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), s.SimpleHTTPRequestHandler).serve_forever()';
  // Inside the host (its PID namespace too), so `ss -ltnp` on h1 names it.
  // The system python: the controller's PATH may lead to a version manager's shim.
  if (!h.initPid) throw new Error(`${h.name}: the host's init is not running`);
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const argv = [...nsenterArgv(h.initPid, root), python, '-c', server, h.address, String(REGISTRY_PORT)];
  const child = spawn(argv[0] as string, argv.slice(1), { detached: true, stdio: 'ignore' });
  child.unref();
  if (!child.pid) throw new Error(`${h.name}: could not start the registry stand-in`);
  const pid = await waitForChild(child.pid, `${h.name}: registry stand-in`);
  await writeFile(path.join(h.dir, 'registry.pid'), `${pid}\n`);
  const deadline = Date.now() + readyTimeoutMs;
  while (!(await tcpOpen(h.address, REGISTRY_PORT, 300))) {
    if (Date.now() > deadline) throw new Error(`${h.name}: registry stand-in not accepting on ${h.address}:${REGISTRY_PORT}`);
    await sleep(20);
  }
  return pid;
}
