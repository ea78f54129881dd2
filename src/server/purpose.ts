import type { Request } from 'express';
import { badRequest } from './http-errors.ts';

const MAX_NOTE = 100;

/**
 * 查询事由 (京检发〔2022〕169号 第26条; CJIS 4.2.5.1): one of the configured choices, optionally followed by a
 * short note after a colon — `案件评查` or `其他：核对当事人申诉`. 其他 needs the note. Taken from the `purpose`
 * parameter or the X-Purpose header (URL-encoded, since headers are Latin-1).
 */
export function readPurpose(req: Request, choices: readonly string[], required: boolean): string | undefined {
  const fromQuery = typeof req.query.purpose === 'string' ? req.query.purpose : undefined;
  const header = req.get('x-purpose');
  let raw = fromQuery;
  if (raw === undefined && header !== undefined) {
    try {
      raw = decodeURIComponent(header);
    } catch {
      throw badRequest('X-Purpose 请求头应为 URL 编码的查询事由。');
    }
  }
  raw = raw?.trim();
  if (!raw) {
    if (required)
      throw badRequest(`请填写查询事由（purpose）：${choices.join('、')}，可在冒号后附简短说明。`);
    return undefined;
  }
  const m = /^([^:：]+)(?:[:：](.*))?$/s.exec(raw);
  const choice = m?.[1]?.trim() ?? '';
  const note = m?.[2]?.trim() ?? '';
  if (!choices.includes(choice))
    throw badRequest(`查询事由应为 ${choices.join('、')} 之一，实为「${choice}」。`);
  if (choice === '其他' && !note) throw badRequest('查询事由为「其他」时请在冒号后写明具体事由。');
  if ([...note].length > MAX_NOTE) throw badRequest(`查询事由的说明最多 ${MAX_NOTE} 个字。`);
  return note ? `${choice}：${note}` : choice;
}
