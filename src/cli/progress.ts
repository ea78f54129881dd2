/**
 * A one-line progress bar with rows per second, drawn on stderr only when it is a terminal (so logs and pipes
 * stay clean).
 */
export class ProgressBar {
  #last = 0;
  #start = Date.now();
  #active = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = Boolean(process.stderr.isTTY),
  ) {}

  /** `fraction` of the work done, `rows` handled so far (for the rate). */
  update(label: string, fraction: number, rows: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.#last < 100 && fraction < 1) return;
    this.#last = now;
    this.#active = true;
    const frac = Math.max(0, Math.min(1, fraction));
    const width = 24;
    const filled = Math.round(frac * width);
    const secs = Math.max(0.001, (now - this.#start) / 1000);
    this.stream.write(
      `\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% ${Math.round(rows / secs)} 行/秒   `,
    );
  }

  restart(): void {
    this.#start = Date.now();
  }

  done(): void {
    if (this.enabled && this.#active) this.stream.write('\r\x1b[K');
    this.#active = false;
  }
}
