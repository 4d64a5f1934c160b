/** What the end-to-end harness shares between its global set-up, its helpers and its runners. */
import fs from 'node:fs'

/** Debian's Chromium; CHROMIUM_PATH points elsewhere. Never `npx playwright install`. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium'
}

export function chromiumInstalled(): boolean {
  try {
    fs.accessSync(chromiumPath(), fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Set while only counting the e2e tests (`vitest list`), so the global set-up neither builds nor
 * starts anything.
 */
export const COLLECT_ONLY_ENV = 'E2E_COLLECT_ONLY'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the e2e server listens, e.g. http://127.0.0.1:41234 (also its APP_ORIGIN). */
    e2eBaseUrl: string
    /** The server's database, for tests that check what a page wrote. */
    e2eDatabaseUrl: string
  }
}
