import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { inputErrors } from './errors.ts';

// 4 MB measured ~7% faster than 1 MB for the CSV inspect pass (fewer reads and allocations); 8 MB no better
export const CHUNK_BYTES = 1 << 22;

export interface FileStat {
  bytes: number;
  mtimeMs: number;
}

export async function statFile(path: string): Promise<FileStat> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
    return { bytes: s.size, mtimeMs: s.mtimeMs };
  } catch (error) {
    throw inputErrors.unreadable(path, describe(error));
  }
}

export async function readHead(path: string, bytes: number): Promise<Buffer> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw inputErrors.unreadable(path, describe(error));
  }
}

/** Streams the file once; `onChunk` may return a promise (e.g. to wait for a writer to drain). */
export async function forEachChunk(
  path: string,
  onChunk: (chunk: Buffer, offset: number) => void | Promise<void>,
): Promise<number> {
  let offset = 0;
  let stream;
  try {
    stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  } catch (error) {
    throw inputErrors.unreadable(path, describe(error));
  }
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      const pending = onChunk(buffer, offset);
      if (pending) await pending;
      offset += buffer.length;
    }
  } catch (error) {
    stream.destroy();
    if (isFsError(error)) throw inputErrors.unreadable(path, describe(error));
    throw error;
  }
  return offset;
}

function isFsError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return '文件不存在';
  if (code === 'EACCES' || code === 'EPERM') return '没有读取权限';
  if (code === 'EISDIR' || code === 'ENOTFILE') return '不是普通文件';
  return error instanceof Error ? error.message : String(error);
}
