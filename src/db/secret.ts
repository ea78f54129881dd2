import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The key for hashing ID numbers (HMAC-SHA256) lives next to the database but outside it, mode 0600, so a copy of
 * the database alone cannot be used to confirm a guessed ID number. Back it up with the database (docs/privacy.md).
 */
export function secretPath(dbPath: string): string {
  return `${dbPath}.key`;
}

/** An in-memory database (tests, scratch work) gets a key that lives and dies with the process, never a file. */
const inMemoryKeys = new Map<string, Buffer>();
function isInMemory(dbPath: string): boolean {
  return dbPath === ':memory:' || dbPath.startsWith(':memory:');
}

export function ensureSecret(dbPath: string): { created: boolean } {
  if (isInMemory(dbPath)) {
    if (inMemoryKeys.has(dbPath)) return { created: false };
    inMemoryKeys.set(dbPath, randomBytes(32));
    return { created: true };
  }
  const path = secretPath(dbPath);
  if (existsSync(path)) return { created: false };
  writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { created: true };
}

export function readSecret(dbPath: string): Buffer {
  const memoryKey = inMemoryKeys.get(dbPath);
  if (memoryKey) return memoryKey;
  const path = secretPath(dbPath);
  if (!existsSync(path)) {
    throw new Error(`缺少身份证号哈希密钥文件 ${path}：请先运行 zhenjian init（或从备份恢复该文件）。`);
  }
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
}

/** HMAC-SHA256 in Node, the reference the SQL implementation is tested against. */
export function hmacHex(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/**
 * HMAC's two padded keys (RFC 2104), bound as BLOB parameters so DuckDB computes the HMAC in SQL:
 * sha256(opad || unhex(sha256(ipad || message))).
 */
export function hmacPads(key: Buffer): { ipad: Buffer; opad: Buffer } {
  const block = Buffer.alloc(64);
  key.copy(block);
  return { ipad: Buffer.from(block.map((b) => b ^ 0x36)), opad: Buffer.from(block.map((b) => b ^ 0x5c)) };
}
