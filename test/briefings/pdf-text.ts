import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  pages: number;
  /** each page's text items in reading order, as pdf.js gives them */
  items: string[][];
  /** each page's items joined by spaces, without the spaces between two CJK characters: "表 3 刑事立案 4 2 增长" */
  compact: string[];
  /** each page's text without any whitespace: "第1页/共4页" */
  flat: string[];
}

// Noto CJK draws 页 and ⻚ (CJK Radicals Supplement) with one glyph, and Chromium's ToUnicode names the radical: a
// reader copying text gets ⻚. NFKC folds the Kangxi radicals (⼯ → 工) but not these, so they are folded here.
const RADICALS: Record<string, string> = { '⻚': '页', '⺠': '民', '⻅': '见', '⻓': '长', '⻔': '门' };

const normal = (s: string) => s.normalize('NFKC').replace(/[⺀-⻿]/g, (c) => RADICALS[c] ?? c);
const CJK = '[\\u3000-\\u303f\\u4e00-\\u9fff\\uff00-\\uffef]';

/**
 * The text of a PDF as pdf.js (the library of Firefox's viewer) reads it: what a reader can select and search, so
 * an assertion on it is an assertion on the document, not on the HTML it was printed from.
 */
export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const items: string[][] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    items.push(content.items.map((it) => ('str' in it ? normal(it.str) : '')).filter((s) => s.trim() !== ''));
  }
  const pages = doc.numPages;
  await doc.destroy();
  const between = new RegExp(`(?<=${CJK}) (?=${CJK})`, 'g');
  return {
    pages,
    items,
    compact: items.map((p) => p.join(' ').replace(between, '')),
    flat: items.map((p) => p.join('').replace(/\s+/g, '')),
  };
}
