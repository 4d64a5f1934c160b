/**
 * End-to-end tests (docs/testing.md): the `*.e2e.ts` files under tests/e2e/ against the built app, served by
 * server/start.js on a free port (tests/e2e/global-setup.ts), in Chromium. Files run one after
 * another against the one server.
 */
import { defineConfig } from 'vitest/config'
import ClosingLineReporter from './tests/setup/closing-line-reporter.ts'

export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    setupFiles: ['tests/setup/console.ts', 'tests/e2e/setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    passWithNoTests: true,
    reporters: ['default', new ClosingLineReporter()],
  },
})
