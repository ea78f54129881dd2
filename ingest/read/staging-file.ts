import { randomUUID } from 'node:crypto';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

const FLUSH_BYTES = 4 * 1024 * 1024;

/** A clean UTF-8 CSV in the staging directory, written in large blocks; deleted by `remove()`. */
export class StagingFile {
  private pieces: Uint8Array[] = [];
  private text = ''; // string records are joined first: one Buffer per block instead of one per record
  private pending = 0;
  private maxLine = 0;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(stagingDir: string, table: string): Promise<StagingFile> {
    await mkdir(stagingDir, { recursive: true });
    const path = join(stagingDir, `${table}-${randomUUID()}.csv`);
    return new StagingFile(path, await open(path, 'wx', 0o600));
  }

  /** The longest line written so far, for DuckDB's max_line_size. */
  get longestLine(): number {
    return this.maxLine;
  }

  writeBytes(bytes: Uint8Array): void {
    this.takeText();
    this.pieces.push(bytes);
    this.pending += bytes.length;
  }

  /** One record that is already a CSV line (content only; the line break is added). */
  writeRecord(content: Uint8Array | string): void {
    if (typeof content === 'string') {
      // at most 3 UTF-8 bytes per UTF-16 unit: an upper bound is all max_line_size needs
      if (content.length * 3 + 1 > this.maxLine) this.maxLine = content.length * 3 + 1;
      this.text += content + '\n';
      this.pending += content.length;
      return;
    }
    if (content.length + 1 > this.maxLine) this.maxLine = content.length + 1;
    this.writeBytes(content);
    this.writeBytes(NEWLINE);
  }

  private takeText(): void {
    if (this.text === '') return;
    this.pieces.push(Buffer.from(this.text));
    this.text = '';
  }

  /** Call between input chunks: writes once enough has piled up, so memory stays at a few MB. */
  async flushIfFull(): Promise<void> {
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle.close();
  }

  async remove(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }

  private async flush(): Promise<void> {
    this.takeText();
    if (this.pieces.length === 0) return;
    const block = Buffer.concat(this.pieces);
    this.pieces = [];
    this.pending = 0;
    await this.handle.write(block);
  }
}

const NEWLINE = Buffer.from('\n');
