// The CLI's only way to print (DEVELOPERS.md: no stray console output). Human text goes to stdout, or to stderr
// when --json reserves stdout for the one JSON document.
export interface Output {
  json: boolean;
  /** a human line (stderr under --json) */
  say(line: string): void;
  /** the result: JSON under --json, else nothing (commands print their own summary with say) */
  result(value: unknown): void;
  error(line: string): void;
  isTTY: boolean;
}

export function createOutput(json: boolean, out = process.stdout, err = process.stderr): Output {
  return {
    json,
    isTTY: Boolean(err.isTTY),
    say: (line) => (json ? err : out).write(`${line}\n`),
    result: (value) => {
      if (json) out.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    error: (line) => err.write(`${line}\n`),
  };
}
