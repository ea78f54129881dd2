import type { Encoding } from './encoding.ts';
import type { Format } from './detect-format.ts';
import type { Malformed } from './header.ts';

export type { Encoding, Format, Malformed };

export interface InspectOptions {
  /** User override: utf-8 | utf8 | gb18030 | gbk | gb2312 (any case). */
  encoding?: string;
  /** XLSX: the sheet to read; the first visible sheet when absent. */
  sheet?: string;
  /** XLSX: refuse workbooks whose entries expand beyond this many bytes (zip bombs). Default 2 GiB. */
  maxUnzippedBytes?: number;
}

export interface InspectedFile {
  path: string;
  name: string;
  bytes: number;
  /** sha256 of the file bytes, hex. */
  sha256: string;
  format: Format;
  /** null for xlsx and parquet. */
  encoding: Encoding | null;
  /** Column names as written (UTF-8 BOM stripped, trimmed), in file order. */
  header: string[];
  /** XLSX: the sheet used. */
  sheet?: string;
}

export interface StageOptions {
  stagingDir: string;
  onProgress?: (rowsDone: number, bytesDone: number, bytesTotal: number) => void;
  extraNullTokens?: never;
}

export interface StagedFile {
  table: string;
  /** Data records staged (header excluded). */
  rows: number;
  /** 0-based staged row → the contract's "line": file line for CSV/TSV/JSON lines, sheet row, element or row number. */
  lineOf(row: number): number;
  /** Records that could not be staged; never in the table. */
  malformed: Malformed[];
}

/** What every format's stage step receives and returns; index.ts turns it into the public StagedFile. */
export interface StageContext {
  file: InspectedFile;
  table: string;
  stagingDir: string;
  progress(rowsDone: number, bytesDone: number): void;
}

export interface StageResult {
  rows: number;
  lineOf(row: number): number;
  malformed: Malformed[];
}
