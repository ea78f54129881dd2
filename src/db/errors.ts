/**
 * An error the user can act on, with the message in Chinese first (an English line may follow) and the CLI exit
 * code of spec/cli.md: 2 unusable input, 3 a cause outside the input (disk, lock, missing tool).
 */
export class UserError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
    readonly exitCode: 2 | 3,
  ) {
    super(`${zh}\n${en}`);
  }
}

/** Turns DuckDB's lock and disk errors into messages that say what to do. */
export function explainDatabaseError(err: unknown, path: string): UserError | undefined {
  const msg = err instanceof Error ? err.message : String(err);
  const lock = /Could not set lock on file .*Conflicting lock is held in (.*) \(PID (\d+)\)/.exec(msg);
  if (lock) {
    return new UserError(
      `数据库文件 ${path} 正被另一个进程占用（${lock[1]}，PID ${lock[2]}），且不是正在运行的 zhenjian 服务：请先停止该进程，或用 --db 指定其他数据库文件。`,
      `The database ${path} is held by another process (PID ${lock[2]}) that is not a zhenjian server: stop it or use --db.`,
      3,
    );
  }
  if (/No space left on device|could not write|Disk full/i.test(msg)) {
    return new UserError(
      `磁盘空间不足，写入数据库 ${path} 失败；本次操作已回滚，数据库保持原状：请清理磁盘空间后重试。`,
      `Disk full while writing ${path}; the operation was rolled back and the database is unchanged.`,
      3,
    );
  }
  if (/Out of Memory Error/i.test(msg)) {
    return new UserError(
      `内存不足：DuckDB 的缓冲上限不够本次操作使用，正在写入的文件已整体回滚（之前已完成的文件不受影响）。` +
        `请用 --memory-limit 提高上限后重试（如 --memory-limit 2GB；进程峰值约为上限的 2 倍），或把文件拆小。`,
      `Out of memory: the file being written was rolled back (files already done are kept). Retry with a higher --memory-limit (e.g. 2GB) or smaller files.`,
      3,
    );
  }
  return undefined;
}
