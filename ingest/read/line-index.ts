/**
 * Maps a staged row to its file line. Most files have one record per line, so instead of one entry per row it keeps
 * only the rows where `line − row` changes (after multi-line records, blank lines, skipped records): memory grows
 * with the irregularities, not with the file.
 */
export class LineIndex {
  private rowsAt = new Float64Array(16);
  private deltas = new Float64Array(16);
  private breaks = 0;
  private lastDelta = Number.NaN;
  private count = 0;

  /** For formats where the line is a fixed offset from the row (JSON array element, Parquet row number). */
  static offset(rows: number, delta: number): LineIndex {
    const index = new LineIndex();
    index.rowsAt[0] = 0;
    index.deltas[0] = delta;
    index.breaks = 1;
    index.lastDelta = delta;
    index.count = rows;
    return index;
  }

  get rows(): number {
    return this.count;
  }

  push(line: number): void {
    const delta = line - this.count;
    if (delta !== this.lastDelta) {
      if (this.breaks === this.rowsAt.length) this.grow();
      this.rowsAt[this.breaks] = this.count;
      this.deltas[this.breaks] = delta;
      this.breaks++;
      this.lastDelta = delta;
    }
    this.count++;
  }

  lineOf = (row: number): number => {
    if (!Number.isInteger(row) || row < 0 || row >= this.count) {
      throw new RangeError(`row ${row} is outside 0…${this.count - 1}`);
    }
    let lo = 0;
    let hi = this.breaks - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.rowsAt[mid]! <= row) lo = mid;
      else hi = mid - 1;
    }
    return row + this.deltas[lo]!;
  };

  private grow(): void {
    const rowsAt = new Float64Array(this.rowsAt.length * 2);
    const deltas = new Float64Array(this.deltas.length * 2);
    rowsAt.set(this.rowsAt);
    deltas.set(this.deltas);
    this.rowsAt = rowsAt;
    this.deltas = deltas;
  }
}
