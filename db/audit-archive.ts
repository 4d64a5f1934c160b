// `npm run audit:archive [-- --dir PATH]`: copies audit entries older than the retention
// (setting audit.retentionDays, default 365, never under 180) into a gzipped JSON-lines file under
// the data directory (default data/audit-archive, not served), checks the file and records how far
// the archive reaches. Run it from cron, e.g. monthly. See docs/decisions/017-audit-retention.md.
import { DEFAULT_ARCHIVE_DIR, archiveAuditLog } from '#app/modules/audit/archive.server.ts'
import { option, runDatabaseCli } from './cli-support.ts'

await runDatabaseCli('audit:archive', async ({ tag, openDatabase }) => {
  const result = await archiveAuditLog(openDatabase({ poolSize: 1 }), { dir: option('dir') ?? DEFAULT_ARCHIVE_DIR })
  if (!result.rows) {
    console.log(`${tag} nothing older than ${result.cutoff} left to archive.`)
    return
  }
  console.log(`${tag} archived ${result.rows} entries (${result.through!.at} and before) to ${result.file}`)
  console.log(`${tag} sha256 of the uncompressed content: ${result.sha256}`)
})
