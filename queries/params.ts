import { z } from 'zod';

// Parameter building blocks with Chinese messages (users read them in the CLI and the app).
export const isoDate = (label: string) => z.iso.date({ error: `${label}应为有效日期，格式 YYYY-MM-DD` });

/** Optional as_of: absent means the database's data-as-of date (spec/cli.md). */
export const asOf = isoDate('as_of（统计截止日期）').optional();

export const bool = (label: string) =>
  z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0', '是', '否'])], {
      error: `${label}应为 true 或 false`,
    })
    .transform((v) => v === true || v === 'true' || v === '1' || v === '是');

export const district = z
  .string()
  .regex(/^1101(0[1-25-9]|1[1-9])$/, { error: '区划应为北京市 16 个区之一的 6 位代码，如 110105' })
  .optional();
