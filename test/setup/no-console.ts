import { afterEach, vi } from 'vitest';

// A test that prints is a defect (zod's rule, adopted in style.md): fail the test that did it.
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
const calls: string[] = [];
for (const m of methods) {
  vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
    calls.push(`console.${m}: ${args.map(String).join(' ').slice(0, 200)}`);
  });
}
afterEach(() => {
  if (calls.length > 0) {
    const seen = calls.splice(0);
    throw new Error(`stray console output:\n${seen.join('\n')}`);
  }
});
