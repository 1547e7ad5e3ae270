/**
 * Vitest settings: every `*.test.ts` under `test/`, a generous per-test timeout for the real-time queue and
 * warehouse cases, and process forks so that native modules (DuckDB, SQLite) stay isolated per file.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30000, pool: 'forks' },
});
