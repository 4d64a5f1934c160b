/**
 * `npm run backup [-- --out FILE | --dir DIR]`: a consistent, encrypted, checksummed backup of the
 * database at DATABASE_URL (SQLite or MariaDB) in the dialect-neutral format of
 * docs/decisions/024-backups.md. Default: data/backups/tiaojie-<dialect>-<UTC time>.tjbak, plus
 * <file>.sha256. Restore with `npm run restore -- FILE`. See docs/operations.md.
 */
import path from 'node:path'
import { getEnv } from '#app/lib/env.server.ts'
import { auditOperation, megabytes } from './backup/cli.ts'
import { option } from './cli-support.ts'
import { createBackup, defaultBackupName } from './backup/dump.ts'
import { backupKeys } from './backup/keys.ts'
import { createDatabase, dialectOf } from './connect.ts'

const env = getEnv()
const dialect = dialectOf(env.DATABASE_URL)
const tag = `[backup:${dialect}]`
const file = option('out') ?? path.join(option('dir') ?? 'data/backups', defaultBackupName(dialect))
const db = createDatabase(env.DATABASE_URL, { poolSize: 1 })
try {
  const keys = backupKeys()
  const summary = await createBackup(db, { file, key: keys.current })
  console.log(`${tag} consistent snapshot at migration level ${summary.migrations.at(-1)} (${summary.migrations.length} migrations)`)
  for (const [table, digest] of Object.entries(summary.tables))
    console.log(`  ${table.padEnd(32)} ${digest.rows.toLocaleString('en').padStart(10)} rows`)
  console.log(
    `${tag} wrote ${summary.rows.toLocaleString('en')} rows of ${Object.keys(summary.tables).length} tables to ${summary.file} ` +
      `(${megabytes(summary.bytes)}, gzip + AES-256-GCM with data key version ${summary.keyVersion}) in ${summary.seconds.toFixed(1)} s`,
  )
  console.log(`${tag} sha256 ${summary.fileSha256} (also in ${path.basename(summary.file)}.sha256); per-table SHA-256 inside the file`)
  console.log(`${tag} uploaded files are not in this file: copy ${env.TIAOJIE_UPLOAD_DIR} alongside it (docs/operations.md)`)
  await auditOperation(db, 'backup.created', {
    file: path.basename(summary.file),
    rows: summary.rows,
    tables: Object.keys(summary.tables).length,
    sha256: summary.fileSha256,
    keyVersion: summary.keyVersion,
    level: summary.migrations.at(-1),
  })
} catch (error) {
  console.error(`${tag} failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
