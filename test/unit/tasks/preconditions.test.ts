import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFacts } from '../../../src/tasks/facts.js';
import { judgePreconditions } from '../../../src/tasks/preconditions.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/facts/${name}`, import.meta.url), 'utf8');
const ECE = [{ from: 12191, to: 12201 }, 2112, { from: 18000, to: 18999 }];
const status = (rs: { id: string; status: string }[]) => Object.fromEntries(rs.map((r) => [r.id, r.status]));

describe('installer preconditions from facts', () => {
  it('reads the install user, also under sudo', () => {
    expect(parseFacts('##installuser\nelastic 1000 1000\n').installUser).toEqual({ name: 'elastic', uid: 1000, gid: 1000 });
    expect(parseFacts('##installuser\n\n').installUser).toBeUndefined();
  });
  it('a Debian host with Docker, a normal user and the default port range passes', () => {
    const f = { ...parseFacts(fixture('debian-nft.txt')), installUser: { name: 'elastic', uid: 1000, gid: 1000 } };
    expect(status(judgePreconditions('h1', f, '3.8.0', ECE))).toEqual({ docker: 'pass', 'install-user': 'pass', 'local-port-range': 'pass', firewalld: 'pass' });
  });
  it('a RHEL host with firewalld, no Docker, root and a wide port range fails, each with one line', () => {
    const f = { ...parseFacts(fixture('rhel-firewalld.txt')), installUser: { name: 'root', uid: 0, gid: 0 } };
    const rs = judgePreconditions('h2', f, '3.5.1', ECE);
    expect(status(rs)).toEqual({ docker: 'fail', 'install-user': 'fail', 'local-port-range': 'fail', firewalld: 'fail' });
    expect(rs.find((r) => r.id === 'local-port-range')!.message).toMatch(/1024-65000 overlaps ECE ports 2112, 12191-12201, 18000-18999/);
    expect(status(judgePreconditions('h2', f, '4.0.0', ECE)).firewalld).toBe('warn');
    expect(judgePreconditions('h2', f, undefined, ECE).find((r) => r.id === 'firewalld')!.message).toMatch(/ece_version is not set/);
  });
  it('UID or GID under 1000 fails; Docker without its socket fails', () => {
    const rs = judgePreconditions('h3', { installUser: { name: 'svc', uid: 999, gid: 1000 }, docker: { present: true, socket: false } }, '3.8', ECE);
    expect(status(rs)).toMatchObject({ docker: 'fail', 'install-user': 'fail' });
  });
  it('what could not be read is not checked, never passed', () => {
    expect(status(judgePreconditions('h4', undefined, '3.8', ECE))).toEqual({ docker: 'not-checked', 'install-user': 'not-checked', 'local-port-range': 'not-checked', firewalld: 'not-checked' });
  });
});
