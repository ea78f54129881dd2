import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/**/*.test.ts',
      'src/**/*.test.ts',
      'ingest/**/*.test.ts',
      'queries/**/*.test.ts',
      'fixtures/**/*.test.ts',
    ],
    setupFiles: ['test/setup/no-console.ts'],
    // results must never depend on the machine's zone (style.md: duckdb-node-neo fixes TZ in tests)
    env: { TZ: 'Asia/Shanghai' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
