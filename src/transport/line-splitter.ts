/** Turns stream chunks into complete lines; a partial last line waits for more. */
export class LineSplitter {
  private buffer = '';
  private handlers: ((line: string) => void)[] = [];

  onLine(handler: (line: string) => void): void {
    this.handlers.push(handler);
  }

  push(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      for (const h of this.handlers) h(line);
    }
  }

  /** Flush a last line without newline. */
  end(): void {
    if (this.buffer) {
      const line = this.buffer;
      this.buffer = '';
      for (const h of this.handlers) h(line);
    }
  }
}
