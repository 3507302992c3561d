import type { CheckRecord } from '../engine/check-record.js';
import type { EngineEvent } from '../engine/events.js';

/**
 * Judged checks go out as `checks` batches, not one event each: every
 * renderer's store then takes one step per batch (a step per check cost
 * ~0.5 s of the controller's one thread at 50 hosts). A batch is what one turn of the
 * event loop judged (every agent answer read in that turn, from every host),
 * sent on the next turn, or at once when it reaches `max`; `flush()` sends
 * the rest, and a module calls it before it returns, so a host's checks
 * always come before its task result.
 */
export interface CheckBatch {
  add(check: CheckRecord): void;
  flush(): void;
}

export function checkBatch(emit: (e: EngineEvent) => void, max = 5000): CheckBatch {
  let pending: CheckRecord[] = [];
  let scheduled = false;
  const flush = (): void => {
    if (pending.length === 0) return;
    const checks = pending;
    pending = [];
    emit({ kind: 'checks', checks });
  };
  return {
    add(check) {
      pending.push(check);
      if (pending.length >= max) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
    },
    flush,
  };
}
