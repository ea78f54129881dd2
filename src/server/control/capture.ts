import type { Output } from '../../cli/output.ts';

export interface CapturedLine {
  stream: 'say' | 'error';
  text: string;
}

/**
 * An Output that records instead of printing: the server runs a CLI command's own code with it and sends the
 * lines and the result back, and the CLI prints them exactly as the direct path would have.
 */
export function captureOutput(json: boolean): Output & {
  lines: CapturedLine[];
  value: { set: boolean; result?: unknown };
} {
  const lines: CapturedLine[] = [];
  const value: { set: boolean; result?: unknown } = { set: false };
  return {
    json,
    isTTY: false,
    lines,
    value,
    say: (text) => lines.push({ stream: 'say', text }),
    error: (text) => lines.push({ stream: 'error', text }),
    result: (result) => {
      value.set = true;
      value.result = result;
    },
  };
}
