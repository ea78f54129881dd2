import { posix } from 'node:path';
import { readEntryText, ZipProblem, type ZipEntry } from './xlsx-zip.ts';

export interface SheetInfo {
  name: string;
  hidden: boolean;
  /** The worksheet's part in the zip, e.g. xl/worksheets/sheet1.xml; null when the workbook points nowhere. */
  part: ZipEntry | null;
}

export interface WorkbookParts {
  workbook: ZipEntry;
  rels: ZipEntry;
  sharedStrings: ZipEntry | null;
  styles: ZipEntry | null;
  sheets: SheetInfo[];
}

const ATTRIBUTE = /([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of tag.matchAll(ATTRIBUTE)) found[m[1]!] = decodeXml(m[2] ?? m[3] ?? '');
  return found;
}

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[e]!;
  });
}

/** Relationship targets are relative to xl/ unless they start with '/'. */
function partName(target: string): string {
  return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target));
}

/** The parts exceljs needs, found through the workbook's relationships; sheets in workbook (tab) order. */
export async function workbookParts(path: string, entries: ZipEntry[]): Promise<WorkbookParts> {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const workbook = byName.get('xl/workbook.xml');
  const rels = byName.get('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new ZipProblem('缺少 xl/workbook.xml');
  const targets = new Map<string, string>();
  const byType = new Map<string, string>();
  for (const m of (await readEntryText(path, rels)).matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const a = attributes(m[0]);
    if (!a.Id || !a.Target) continue;
    targets.set(a.Id, partName(a.Target));
    const type = a.Type?.split('/').pop();
    if (type) byType.set(type, partName(a.Target));
  }
  const sheets: SheetInfo[] = [];
  for (const m of (await readEntryText(path, workbook)).matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const a = attributes(m[0]);
    const relId = Object.entries(a).find(([k]) => k === 'r:id' || k.endsWith(':id'))?.[1];
    const target = relId ? targets.get(relId) : undefined;
    sheets.push({
      name: a.name ?? '',
      hidden: a.state === 'hidden' || a.state === 'veryHidden',
      part: (target && byName.get(target)) || null,
    });
  }
  const part = (type: string, fallback: string) => byName.get(byType.get(type) ?? fallback) ?? null;
  return {
    workbook,
    rels,
    sharedStrings: part('sharedStrings', 'xl/sharedStrings.xml'),
    styles: part('styles', 'xl/styles.xml'),
    sheets,
  };
}
