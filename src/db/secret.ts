import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The key for hashing ID numbers (HMAC-SHA256) lives next to the database but outside it, mode 0600, so a copy of
 * the database alone cannot be used to confirm a guessed ID number. Back it up with the database (docs/privacy.md).
 */
export function secretPath(dbPath: string): string {
  return `${dbPath}.key`;
}

export function ensureSecret(dbPath: string): { created: boolean } {
  const path = secretPath(dbPath);
  if (existsSync(path)) return { created: false };
  writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { created: true };
}

export function readSecret(dbPath: string): Buffer {
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
