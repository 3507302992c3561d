import { EventEmitter } from 'node:events';

/** A terminal without a terminal: what ink needs from stdout. `text()` is what was written, escapes removed. */
export class FakeStdout extends EventEmitter {
  isTTY = true;
  chunks: string[] = [];
  constructor(
    public columns = 120,
    public rows = 40,
  ) {
    super();
  }
  write = (s: string): boolean => {
    this.chunks.push(s);
    return true;
  };
  text = (): string => this.chunks.join('').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
}

/** ...and from stdin: `press()` hands ink one key (or string) as a person would type it. */
export class FakeStdin extends EventEmitter {
  isTTY = true;
  private pending: string | null = null;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => {
    const d = this.pending;
    this.pending = null;
    return d;
  };
  press(data: string): void {
    this.pending = data;
    this.emit('readable');
  }
}
