/**
 * Unit and database tests (docs/testing.md). Deliberately not built on vite.config.ts: tests need
 * no Remix plugin. The `#app/*`-style aliases resolve through package.json "imports".
 *
 * - unit: `*.test.ts(x)` beside the code, plus tests/unit; no database.
 * - db:   `*.db.test.ts`; each file gets a fresh migrated database (tests/setup/db.ts), SQLite by
 *         default, MariaDB with TEST_DIALECT=mysql and TEST_MYSQL_URL.
 */
import { defineConfig } from 'vitest/config'
import ClosingLineReporter from './tests/setup/closing-line-reporter.ts'

const COMMON_SETUP = ['tests/setup/env.ts', 'tests/setup/console.ts']

export default defineConfig({
  test: {
    reporters: ['default', new ClosingLineReporter()],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['app/**/*.test.{ts,tsx}', 'db/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          exclude: ['**/*.db.test.ts', '**/node_modules/**'],
          setupFiles: COMMON_SETUP,
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          environment: 'node',
          include: ['{app,db,tests}/**/*.db.test.ts'],
          exclude: ['**/node_modules/**'],
          setupFiles: [...COMMON_SETUP, 'tests/setup/db.ts'],
          globalSetup: ['tests/setup/global-db.ts'],
          // Migrating a fresh MariaDB database per file takes a moment.
          hookTimeout: 30_000,
          testTimeout: 15_000,
        },
      },
    ],
  },
})
