/**
 * Server-sent events, as chat servers stream them: "data: {json}" lines, a
 * blank line after each event, and "data: [DONE]" at the end. Chunks from
 * the network split lines anywhere, so text is buffered until a line ends.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];

  /** Feed decoded text; returns the data of every event it completed. */
  push(text: string): string[] {
    this.buffer += text;
    const events: string[] = [];
    let end: number;
    while ((end = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      this.line(line, events);
    }
    return events;
  }

  /** The stream ended: a last event without its blank line still counts. */
  finish(): string[] {
    const events: string[] = [];
    if (this.buffer) this.line(this.buffer, events);
    this.buffer = '';
    this.line('', events);
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === '') {
      if (this.data.length > 0) events.push(this.data.join('\n'));
      this.data = [];
    } else if (line.startsWith('data:')) {
      this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
    // Comments (":keep-alive"), event names and ids carry nothing we use.
  }
}
