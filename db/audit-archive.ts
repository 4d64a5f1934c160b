// `npm run audit:archive [-- --dir PATH]`: copies audit entries older than the retention
// (setting audit.retentionDays, default 365, never under 180) into a gzipped JSON-lines file under
// the data directory (default data/audit-archive, not served), checks the file and records how far
// the archive reaches. Run it from cron, e.g. monthly. See docs/decisions/017-audit-retention.md.
import { getEnv } from '#app/lib/env.server.ts'
import { DEFAULT_ARCHIVE_DIR, archiveAuditLog } from '#app/modules/audit/archive.server.ts'
import { createDatabase, dialectOf } from './connect.ts'

function option(name: string): string | undefined {
  const args = process.argv.slice(2)
  const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))
  if (index < 0) return undefined
  const arg = args[index]!
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1]
}

async function main(): Promise<void> {
  const env = getEnv()
  const db = createDatabase(env.DATABASE_URL, { poolSize: 1 })
  const tag = `[audit:archive:${dialectOf(env.DATABASE_URL)}]`
  try {
    const result = await archiveAuditLog(db, { dir: option('dir') ?? DEFAULT_ARCHIVE_DIR })
    if (!result.rows) {
      console.log(`${tag} nothing older than ${result.cutoff} left to archive.`)
      return
    }
    console.log(`${tag} archived ${result.rows} entries (${result.through!.at} and before) to ${result.file}`)
    console.log(`${tag} sha256 of the uncompressed content: ${result.sha256}`)
  } finally {
    await db.destroy()
  }
}

try {
  await main()
} catch (error) {
  console.error(`[audit:archive] ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
