/** What a command's output may hold in the controller's memory: a host cannot make it grow without end. */
export const MAX_OUTPUT = 16 << 20;

/**
 * Text kept up to a bound: the first `max` characters, then a count of what
 * was dropped. For the stdout/stderr a finished command reports (the lines
 * themselves are streamed to handlers as they come).
 */
export class BoundedText {
  private parts: string[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly max = MAX_OUTPUT) {}

  push(chunk: string): void {
    const room = this.max - this.size;
    if (room <= 0) {
      this.dropped += chunk.length;
      return;
    }
    const kept = chunk.length <= room ? chunk : chunk.slice(0, room);
    this.parts.push(kept);
    this.size += kept.length;
    this.dropped += chunk.length - kept.length;
  }

  text(): string {
    const body = this.parts.join('');
    return this.dropped ? `${body}\n[${this.dropped} more characters of output dropped]\n` : body;
  }
}
