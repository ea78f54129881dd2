import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../src/db/errors.ts';
import { columnsOf, schemas, type TableName } from './contract/tables.ts';

/**
 * A mapping file turns a foreign layout into a contract table (contract.md "Mappings"). Strict: an unknown key is
 * an error, because a misspelt key would otherwise be ignored silently and load wrong data.
 */
export const mappingSchema = z.strictObject({
  table: z.enum(Object.keys(schemas) as [TableName, ...TableName[]], {
    error: '目标表（table）必须是交换格式中的表名之一',
  }),
  columns: z.record(z.string(), z.string()).optional().describe('源列名 → 标准列名'),
  values: z
    .record(z.string(), z.record(z.string(), z.string()))
    .optional()
    .describe('标准列名 → {源值: 标准值}'),
  null_tokens: z.array(z.string()).optional().describe('额外的空值标记'),
  date_formats: z
    .array(z.string().regex(/%[YymdHMS]/, { error: '日期格式须使用 strptime 写法，如 %d/%m/%Y' }))
    .optional(),
  encoding: z.enum(['utf-8', 'utf8', 'gb18030', 'gbk', 'gb2312']).optional(),
  constants: z.record(z.string(), z.string()).optional().describe('标准列名 → 固定值'),
  sheet: z.string().optional(),
});
export type Mapping = z.infer<typeof mappingSchema> & { sha256: string; path: string };

export function readMapping(path: string): Mapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(
      `无法读取映射文件 ${path}：请检查路径和权限。`,
      `Cannot read mapping file ${path}.`,
      2,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UserError(
      `映射文件 ${path} 不是有效的 JSON：${(e as Error).message}。请修正后重试。`,
      `Mapping file ${path} is not valid JSON.`,
      2,
    );
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys'
        ? `未知的键 ${i.keys.join('、')}${i.path.length ? `（位于 ${i.path.join('.')}）` : ''}`
        : `${i.path.join('.') || '(根)'}：${i.message}`,
    );
    throw new UserError(
      `映射文件 ${path} 有误：${issues.join('；')}。允许的键：table, columns, values, null_tokens, date_formats, encoding, constants, sheet。`,
      `Mapping file ${path} is invalid: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      2,
    );
  }
  const m = parsed.data;
  const known = new Set(columnsOf(m.table).map((c) => c.name));
  const unknownTargets = [
    ...Object.values(m.columns ?? {}),
    ...Object.keys(m.values ?? {}),
    ...Object.keys(m.constants ?? {}),
  ].filter((c) => !known.has(c));
  if (unknownTargets.length > 0) {
    throw new UserError(
      `映射文件 ${path} 引用了表 ${m.table} 中不存在的列：${[...new Set(unknownTargets)].join('、')}。请使用交换格式中的标准列名（见 docs/exchange-format.md）。`,
      `Mapping file ${path} names columns that ${m.table} does not have: ${unknownTargets.join(', ')}`,
      2,
    );
  }
  return { ...m, sha256: createHash('sha256').update(text).digest('hex'), path };
}
