import { UserError } from '../../db/errors.ts';
import { databasePath } from '../../db/open.ts';
import { formatAnchor, hashAtSeq, parseAnchor } from '../../server/admin/audit-anchor.ts';
import { auditPath, verifyAuditLog } from '../../server/audit/log.ts';
import { parse } from '../args.ts';
import type { Output } from '../output.ts';

export const auditHelp = `zhenjian audit verify [--export-head] [--expect-head SEQ:HASH]
  逐条重算审计记录（<数据库>.audit.jsonl）的哈希链：完好时给出记录数和链头哈希（退出码 0）；发现断点时指出第一条被修改、
  删除、插入或调换的记录所在行（退出码 1）。--export-head 输出「序号:哈希」形式的链头，请抄存到服务器以外（纸面或另一台机器）；
  日后用 --expect-head 核对，可发现整条链被重算的篡改。只读文件，服务运行时也可执行。`;

export async function auditCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse('audit', args, {
    'export-head': { type: 'boolean', default: false },
    'expect-head': { type: 'string' },
  });
  if (values.help) return (out.say(auditHelp), 0);
  if (positionals[0] !== 'verify' || positionals.length > 1)
    throw new UserError(
      '用法：zhenjian audit verify [--export-head] [--expect-head SEQ:HASH]',
      'Usage: zhenjian audit verify',
      2,
    );
  const expected = values['expect-head'] === undefined ? undefined : parseAnchor(values['expect-head']);
  if (values['expect-head'] !== undefined && !expected)
    throw new UserError(
      `--expect-head 应为「序号:64 位十六进制哈希」（即 --export-head 的输出），实为「${values['expect-head']}」。`,
      '--expect-head must be SEQ:HASH.',
      2,
    );
  const path = auditPath(databasePath(values.db));
  const r = await verifyAuditLog(path);
  if (!r.ok) {
    const b = r.broken!;
    out.result({ ok: false, file: path, records_verified: r.records, broken: b });
    out.error(
      `审计记录 ${path} 的哈希链在第 ${b.line} 行断开${b.seq !== undefined ? `（记录序号 ${b.seq}）` : ''}：${b.reason}。` +
        `此前 ${r.records} 条记录完好。请保全该文件和备份，并报告安全负责人。`,
    );
    out.error(`The audit chain of ${path} breaks at line ${b.line}.`);
    return 1;
  }
  const head = { seq: r.records, hash: r.head! };
  let anchor: { expected: string; found: string | null; ok: boolean } | undefined;
  if (expected) {
    const found = await hashAtSeq(path, expected.seq);
    anchor = { expected: formatAnchor(expected), found: found ?? null, ok: found === expected.hash };
  }
  out.result({ ok: anchor?.ok ?? true, file: path, records: r.records, head: formatAnchor(head), anchor });
  if (anchor && !anchor.ok) {
    out.error(
      anchor.found
        ? `哈希链本身完好，但第 ${expected!.seq} 条记录的哈希与留存的链头不符：审计记录在该条或之前被改写并重算了哈希。请保全文件并报告安全负责人。`
        : `审计记录中没有第 ${expected!.seq} 条（现仅 ${r.records} 条）：记录被截断或整体替换。请保全文件并报告安全负责人。`,
    );
    out.error(`The record ${expected!.seq} does not carry the anchored hash.`);
    return 1;
  }
  out.say(`审计记录完好：${r.records} 条，链头哈希 ${r.head}${anchor ? '；与留存的链头一致' : ''}。`);
  if (values['export-head']) out.say(formatAnchor(head));
  return 0;
}
