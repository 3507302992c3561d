/** Longest line kept whole: a host that streams without newlines must not grow the controller's memory without bound. */
export const MAX_LINE = 1 << 20;

/**
 * Turns stream chunks into complete lines; a partial last line waits for
 * more. Bounded: a line longer than `maxLine` is cut there (the handler gets
 * the first `maxLine` characters and a note), and the rest of it, up to the
 * next newline, is dropped, so no host output can make the buffer or the
 * splitting grow without end. Linear in the input (no re-slicing per line).
 */
export class LineSplitter {
  private buffer = '';
  /** Inside a line that was already cut: drop until the next newline. */
  private skipping = false;
  private handlers: ((line: string) => void)[] = [];

  constructor(private readonly maxLine = MAX_LINE) {}

  onLine(handler: (line: string) => void): void {
    this.handlers.push(handler);
  }

  private emit(line: string): void {
    for (const h of this.handlers) h(line);
  }

  push(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (!this.skipping) this.take(chunk.slice(start, nl), true);
      this.skipping = false;
      start = nl + 1;
    }
    if (start < chunk.length && !this.skipping) this.take(chunk.slice(start), false);
  }

  /** Add text to the current line; `complete` when a newline ended it. */
  private take(text: string, complete: boolean): void {
    this.buffer += text;
    if (this.buffer.length > this.maxLine) {
      this.emit(`${this.buffer.slice(0, this.maxLine)} [line cut at ${this.maxLine} characters]`);
      this.buffer = '';
      this.skipping = !complete;
      return;
    }
    if (complete) {
      const line = this.buffer;
      this.buffer = '';
      this.emit(line);
    }
  }

  /** Flush a last line without newline. */
  end(): void {
    if (this.buffer) {
      const line = this.buffer;
      this.buffer = '';
      this.emit(line);
    }
    this.skipping = false;
  }
}
