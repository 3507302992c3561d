import { describe, expect, it } from 'vitest';
import { BoundedText } from '../../../src/transport/bounded-text.js';
import { LocalConnection } from '../../../src/transport/local.js';

describe('bounded command output', () => {
  it('keeps the first characters up to the bound and says how much was dropped', () => {
    const t = new BoundedText(10);
    t.push('0123456');
    t.push('789abc');
    t.push('def');
    expect(t.text()).toBe('0123456789\n[6 more characters of output dropped]\n');
    const small = new BoundedText(10);
    small.push('ok');
    expect(small.text()).toBe('ok');
  });

  it('a local command that prints 40 MB reports a bounded stdout and still streams its lines', async () => {
    const c = new LocalConnection('localhost');
    const running = c.start('head -c 41943040 /dev/zero | tr "\\\\0" "x"; echo; echo last');
    let last = '';
    running.onLine((l) => (last = l));
    const r = await running.done;
    expect(r.stdout.length).toBeLessThan(17 << 20);
    expect(r.stdout).toMatch(/more characters of output dropped/);
    expect(last).toBe('last');
  });
});
