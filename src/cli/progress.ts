/**
 * A one-line progress bar with a rate, drawn on stderr only when it is a terminal (so logs and pipes stay clean).
 */
export class ProgressBar {
  #last = 0;
  #start = Date.now();
  #active = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly enabled = Boolean(process.stderr.isTTY),
  ) {}

  update(label: string, done: number, total: number, unit: 'bytes' | 'rows' = 'bytes'): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.#last < 100 && done < total) return;
    this.#last = now;
    this.#active = true;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const secs = Math.max(0.001, (now - this.#start) / 1000);
    const rate =
      unit === 'bytes' ? `${(done / secs / 1e6).toFixed(1)} MB/s` : `${Math.round(done / secs)} 行/秒`;
    this.stream.write(
      `\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% ${rate}   `,
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
