import { describe, expect, it } from 'vitest';
import { listenerCommand, parseListenerLines } from '../../../src/tasks/listener-script.js';
import { parseProbeLine, probeCommand, probeInput } from '../../../src/tasks/probe-script.js';
import { verdictOf } from '../../../src/tasks/probe-outcome.js';

describe('listener script', () => {
  it('puts only digits and base64 on the command line', () => {
    const cmd = listenerCommand([20000, 2375], 60);
    expect(cmd).toMatch(/^exec python3 -u -c "import base64;exec\(base64\.b64decode\('[A-Za-z0-9+/=]+'\)\)" 60 20000 2375$/);
  });

  it('rejects ports that are not ports', () => {
    expect(() => listenerCommand([0], 60)).toThrow(/bad listener port 0/);
    expect(() => listenerCommand([70000], 60)).toThrow(/bad listener port/);
  });

  it('parses bound, in-use and failed ports', () => {
    const r = parseListenerLines(['BOUND 20000', 'INUSE 22', 'FAIL 80 13 Permission_denied', 'READY 4242']);
    expect(r).toEqual({
      bound: [20000],
      inUse: [22],
      failed: [{ port: 80, error: 'Permission denied (errno 13)' }],
      pid: 4242,
      ready: true,
    });
  });
});

describe('probe script', () => {
  it('builds a command with timeout and concurrency only', () => {
    expect(probeCommand(2000, 64)).toMatch(/ 2000 64$/);
  });

  it('refuses targets that would break the line protocol', () => {
    expect(() => probeInput([{ id: 'a b', address: '1.2.3.4', port: 1 }])).toThrow(/whitespace/);
    expect(probeInput([{ id: '0', address: '198.18.0.11', port: 2112 }])).toBe('0 198.18.0.11 2112\nEND\n');
  });

  it('parses result lines and ignores the rest', () => {
    expect(parseProbeLine('R 3 filtered 4003 timeout 1')).toEqual({ id: '3', outcome: 'filtered', ms: 4003, detail: 'timeout', retried: true });
    expect(parseProbeLine('R 0 open 1 - 0')).toEqual({ id: '0', outcome: 'open', ms: 1, detail: undefined, retried: false });
    expect(parseProbeLine('R 0 weird 1 - 0')).toBeNull();
    expect(parseProbeLine('DONE')).toBeNull();
  });
});

describe('verdictOf', () => {
  it('maps expected and observed to ok, blocked, exposed, error', () => {
    expect(verdictOf('open', 'open')).toBe('ok');
    expect(verdictOf('open', 'filtered')).toBe('blocked');
    expect(verdictOf('open', 'refused')).toBe('blocked');
    expect(verdictOf('closed', 'open')).toBe('exposed');
    expect(verdictOf('closed', 'refused')).toBe('ok');
    expect(verdictOf('closed', 'error')).toBe('error');
  });
});
