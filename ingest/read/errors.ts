import { basename } from 'node:path';

/** A problem with an input file that the user can fix; `zh` is shown to users, `en` goes with it in logs. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    public readonly file: string,
    public readonly zh: string,
    public readonly en: string,
  ) {
    super(zh);
  }
}

const MB = 1024 * 1024;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MB) return `${+(bytes / (1024 * MB)).toFixed(1)} GB`;
  if (bytes >= MB) return `${+(bytes / MB).toFixed(1)} MB`;
  return `${+(bytes / 1024).toFixed(1)} KB`;
}

/** Message builders, one per problem, so that the wording stays consistent across formats. */
export const inputErrors = {
  unreadable: (path: string, reason: string) =>
    new InputError(
      path,
      `无法读取文件 ${basename(path)}（${reason}）：请确认路径正确、文件存在且有读取权限。`,
      `cannot read ${basename(path)} (${reason})`,
    ),
  empty: (path: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 为空：请确认导出是否完整后重新导入。`,
      `${basename(path)} is empty`,
    ),
  headerOnly: (path: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 只有表头，没有数据行：请确认导出是否完整后重新导入。`,
      `${basename(path)} has a header but no data rows`,
    ),
  emptyHeaderName: (path: string, position: number, where = '') =>
    new InputError(
      path,
      `文件 ${basename(path)}${where} 的表头第 ${position} 列没有列名：请为每一列填写列名（或删除多余的空列）后重新导入。`,
      `${basename(path)}: header column ${position} has no name`,
    ),
  duplicateHeaderName: (path: string, name: string, positions: number[]) =>
    new InputError(
      path,
      `文件 ${basename(path)} 的表头中“${name}”出现了 ${positions.length} 次（第 ${positions.join('、')} 列）：请删除或重命名重复的列后重新导入。`,
      `${basename(path)}: header name "${name}" appears ${positions.length} times (columns ${positions.join(', ')})`,
    ),
  undecodable: (path: string, hint: string) =>
    new InputError(
      path,
      `无法识别文件编码：文件 ${basename(path)} 既不是 UTF-8 也不是 GB18030/GBK${hint}。请导出为 UTF-8 或 GB18030 编码的文件，或用 --encoding 指定编码后重新导入。`,
      `cannot detect the encoding of ${basename(path)}: neither UTF-8 nor GB18030/GBK`,
    ),
  notInEncoding: (path: string, encoding: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 不是有效的 ${encoding} 编码（按 --encoding 指定的编码无法解码）：请确认文件编码，或去掉 --encoding 由系统自动识别。`,
      `${basename(path)} is not valid ${encoding} (as given by --encoding)`,
    ),
  unknownEncoding: (path: string, given: string) =>
    new InputError(
      path,
      `不支持的编码“${given}”：--encoding 只能是 utf-8 或 gb18030（gbk、gb2312 按 gb18030 读取）。`,
      `unsupported encoding "${given}" (use utf-8 or gb18030)`,
    ),
  unknownFormat: (path: string) =>
    new InputError(
      path,
      `无法识别文件 ${basename(path)} 的格式：支持 CSV、TSV、XLSX、JSON 数组、JSON Lines 和 Parquet。`,
      `unrecognised format of ${basename(path)}`,
    ),
  legacyXls: (path: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 是旧版 Excel 格式（.xls），不支持直接导入：请在 Excel 中“另存为” .xlsx 后重新导入。`,
      `${basename(path)} is a legacy .xls workbook; save it as .xlsx`,
    ),
  recordTooLong: (path: string, limit: number) =>
    new InputError(
      path,
      `文件 ${basename(path)} 的表头超过 ${formatBytes(limit)} 或引号未闭合：请检查第一行是否完整。`,
      `${basename(path)}: header record longer than ${formatBytes(limit)} or an unterminated quote`,
    ),
  headerUnterminated: (path: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 的表头引号未闭合：请检查第一行的引号是否成对。`,
      `${basename(path)}: unterminated quote in the header`,
    ),
  changed: (path: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 在检查之后被修改了：请确认导出已经完成后重新导入。`,
      `${basename(path)} changed between inspection and staging`,
    ),
};

export const xlsxErrors = {
  tooLarge: (path: string, limit: number, detail: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 解压后超过 ${formatBytes(limit)} 或条目过多（${detail}），可能已损坏或是恶意构造的文件：请确认文件来源，或把数据拆成几个文件后重新导出。`,
      `${basename(path)} expands beyond ${formatBytes(limit)} or has too many entries (${detail})`,
    ),
  invalid: (path: string, detail: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 不是有效的 XLSX 工作簿（${detail}）：请在 Excel 中重新“另存为” .xlsx 后导入。`,
      `${basename(path)} is not a valid XLSX workbook (${detail})`,
    ),
  noSuchSheet: (path: string, sheet: string, names: string[]) =>
    new InputError(
      path,
      `文件 ${basename(path)} 中没有名为“${sheet}”的工作表（现有：${names.join('、')}）：请用 --sheet 指定正确的工作表名。`,
      `${basename(path)} has no sheet "${sheet}" (sheets: ${names.join(', ')})`,
    ),
  emptySheet: (path: string, sheet: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 的工作表“${sheet}”是空的：请确认导出是否完整，或用 --sheet 指定其他工作表。`,
      `sheet "${sheet}" of ${basename(path)} is empty`,
    ),
};

export const jsonErrors = {
  structure: (path: string, detail: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 不是有效的 JSON（${detail}）：请确认导出是否完整后重新导入。`,
      `${basename(path)} is not valid JSON (${detail})`,
    ),
  noFields: (path: string) =>
    new InputError(
      path,
      `文件 ${basename(path)} 中没有任何带字段的 JSON 对象：每条记录应为 {"列名": 值, …}。`,
      `${basename(path)} contains no JSON object with fields`,
    ),
};
