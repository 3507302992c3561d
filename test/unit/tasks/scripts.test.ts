import { describe, expect, it } from 'vitest';
import { AGENT_MARK, hostAgentCommand, parseListenerLines, parseProbeLine, probeBatch } from '../../../src/tasks/host-agent-script.js';
import { verdictOf } from '../../../src/tasks/probe-outcome.js';

describe('host agent command', () => {
  it('runs facts, prints the mark, then execs the agent with only digits and base64 on its line', () => {
    const lines = hostAgentCommand([20000, 2375], 60).split('\n');
    expect(lines).toContain(`echo "${AGENT_MARK}"`);
    expect(lines.at(-1)).toMatch(/^exec "\$P" -I -S -c "import binascii;exec\(binascii\.a2b_base64\('[A-Za-z0-9+/=]+'\)\)" 60 20000 2375$/);
    expect(lines.indexOf(`echo "${AGENT_MARK}"`)).toBeGreaterThan(lines.findIndex((l) => l.includes('##os')));
  });

  it('rejects ports that are not ports', () => {
    expect(() => hostAgentCommand([0], 60)).toThrow(/bad listener port 0/);
    expect(() => hostAgentCommand([70000], 60)).toThrow(/bad listener port/);
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

describe('probe batches', () => {
  it('frames targets between B and E with timeout and concurrency', () => {
    expect(probeBatch([{ id: '0', address: '198.18.0.11', port: 2112 }], 2000, 64)).toBe('B 2000 64\n0 198.18.0.11 2112\nE\n');
  });

  it('refuses targets that would break the line protocol', () => {
    expect(() => probeBatch([{ id: 'a b', address: '198.18.0.11', port: 1 }], 2000, 64)).toThrow(/whitespace/);
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
