import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { open } from 'node:fs/promises';
import { createInflateRaw, inflateRawSync } from 'node:zlib';

/**
 * Just enough of the ZIP format to vet a workbook before exceljs unpacks it: exceljs inflates every entry and
 * spools worksheets to temporary files, so a zip bomb would fill memory or disk before any row is seen.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export class ZipProblem extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

export async function readCentralDirectory(
  path: string,
  fileBytes: number,
  maxEntries: number,
): Promise<ZipEntry[]> {
  const handle = await open(path, 'r');
  try {
    const tailBytes = Math.min(fileBytes, 65_557);
    const tail = Buffer.alloc(tailBytes);
    await handle.read(tail, 0, tailBytes, fileBytes - tailBytes);
    let eocd = -1;
    for (let i = tailBytes - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new ZipProblem('找不到 ZIP 目录');
    const count = tail.readUInt16LE(eocd + 10);
    const size = tail.readUInt32LE(eocd + 12);
    const offset = tail.readUInt32LE(eocd + 16);
    // ZIP64 markers: more than 65 535 entries or more than 4 GB — far beyond what a workbook export needs
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff)
      throw new ZipProblem('ZIP64 压缩包');
    if (count > maxEntries) throw new ZipProblem(`压缩包有 ${count} 个条目`);
    if (offset + size > fileBytes) throw new ZipProblem('ZIP 目录超出文件范围');
    if (size > maxEntries * 1024) throw new ZipProblem(`ZIP 目录过大（${size} 字节）`);
    const directory = Buffer.alloc(size);
    await handle.read(directory, 0, size, offset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > size || directory.readUInt32LE(p) !== CENTRAL) throw new ZipProblem('ZIP 目录损坏');
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      const commentLength = directory.readUInt16LE(p + 32);
      entries.push({
        name: directory.toString('utf8', p + 46, p + 46 + nameLength),
        method: directory.readUInt16LE(p + 10),
        compressedSize: directory.readUInt32LE(p + 20),
        size: directory.readUInt32LE(p + 24),
        localHeaderOffset: directory.readUInt32LE(p + 42),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

async function dataOffset(path: string, entry: ZipEntry): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(30);
    await handle.read(header, 0, 30, entry.localHeaderOffset);
    if (header.readUInt32LE(0) !== LOCAL) throw new ZipProblem(`条目 ${entry.name} 损坏`);
    return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
}

/**
 * Inflates the entries that will be read and counts the bytes that come out, stopping as soon as the total passes
 * `limit`: the sizes in the directory are only claims.
 */
export async function checkExpandedSize(path: string, entries: ZipEntry[], limit: number): Promise<number> {
  const declared = entries.reduce((sum, e) => sum + e.size, 0);
  if (declared > limit) throw new ZipProblem('解压后过大');
  let total = 0;
  for (const entry of entries) {
    if (entry.compressedSize === 0) continue;
    if (entry.method === STORED) total += entry.compressedSize;
    else if (entry.method === DEFLATED) total += await inflatedSize(path, entry, limit - total);
    else throw new ZipProblem(`不支持的压缩方式 ${entry.method}`);
    if (total > limit) throw new ZipProblem('解压后过大');
  }
  return total;
}

async function inflatedSize(path: string, entry: ZipEntry, budget: number): Promise<number> {
  const start = await dataOffset(path, entry);
  const source = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  const inflate = createInflateRaw();
  let produced = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      inflate.on('data', (chunk: Buffer) => {
        produced += chunk.length;
        if (produced > budget) reject(new ZipProblem('解压后过大'));
      });
      inflate.on('end', resolve);
      inflate.on('error', () => reject(new ZipProblem(`条目 ${entry.name} 无法解压`)));
      source.on('error', reject);
      source.pipe(inflate);
    });
  } finally {
    source.destroy();
    inflate.destroy();
  }
  return produced;
}

export interface EntryStream {
  stream: Readable;
  /** Compressed bytes read so far, for progress. */
  bytesRead(): number;
  close(): void;
}

/** The inflated bytes of one entry as a stream. */
export async function entryStream(path: string, entry: ZipEntry): Promise<EntryStream> {
  const start = await dataOffset(path, entry);
  if (entry.compressedSize === 0)
    return { stream: Readable.from([]), bytesRead: () => 0, close: () => undefined };
  const source = createReadStream(path, {
    start,
    end: start + entry.compressedSize - 1,
    highWaterMark: 1 << 20,
  });
  if (entry.method !== STORED && entry.method !== DEFLATED)
    throw new ZipProblem(`不支持的压缩方式 ${entry.method}`);
  const stream = entry.method === STORED ? source : source.pipe(createInflateRaw());
  if (stream !== source) source.on('error', (error) => stream.destroy(error));
  return {
    stream,
    bytesRead: () => source.bytesRead,
    close: () => {
      source.destroy();
      stream.destroy();
    },
  };
}

/** A small entry (workbook.xml, its rels) as text; callers have already checked the sizes. */
export async function readEntryText(path: string, entry: ZipEntry): Promise<string> {
  const start = await dataOffset(path, entry);
  const handle = await open(path, 'r');
  try {
    const raw = Buffer.alloc(entry.compressedSize);
    await handle.read(raw, 0, entry.compressedSize, start);
    return (entry.method === STORED ? raw : inflateRawSync(raw)).toString('utf8');
  } finally {
    await handle.close();
  }
}
