/**
 * `npm run restore -- FILE [--replace] [--no-migrate]` restores a backup made by `npm run backup`
 * into the database at DATABASE_URL, whichever dialect either was: only into an empty database
 * (a fresh one is migrated to the backup's level first) unless --replace, in one transaction,
 * verified table by table (count and SHA-256) before it commits; then this release's newer
 * migrations are applied unless --no-migrate.
 * `npm run restore -- FILE --verify-only` checks a backup completely without touching a database.
 * See docs/operations.md.
 */
import path from 'node:path'
import { getEnv } from '#app/lib/env.server.ts'
import { auditOperation, megabytes } from './backup/cli.ts'
import { flag, positional } from './cli-support.ts'
import { BackupError } from './backup/format.ts'
import { backupKeys } from './backup/keys.ts'
import { restoreBackup } from './backup/load.ts'
import { verifyBackup } from './backup/read.ts'
import { createDatabase, dialectOf } from './connect.ts'

const env = getEnv()
const dialect = dialectOf(env.DATABASE_URL)
const [file, ...extra] = positional([])
const verifyOnly = flag('verify-only')
const tag = verifyOnly ? '[restore:verify]' : `[restore:${dialect}]`

async function main(): Promise<void> {
  if (!file || extra.length) throw new BackupError('usage: npm run restore -- FILE [--replace] [--no-migrate] [--verify-only]')
  const keys = backupKeys().byVersion
  if (verifyOnly) {
    const verified = await verifyBackup(file, keys)
    for (const [table, digest] of Object.entries(verified.tables))
      console.log(`  ${table.padEnd(32)} ${digest.rows.toLocaleString('en').padStart(10)} rows`)
    console.log(
      `${tag} ${file} is intact: ${verified.rows.toLocaleString('en')} rows of ${Object.keys(verified.tables).length} tables, ` +
        `made ${verified.header.createdAt} on ${verified.header.sourceDialect} at level ${verified.header.migrations.at(-1)}, ` +
        `data key version ${verified.header.keyVersion}, sha256 ${verified.fileSha256}`,
    )
    return
  }
  const db = createDatabase(env.DATABASE_URL, { poolSize: 1 })
  try {
    const summary = await restoreBackup(db, {
      file,
      keysByVersion: keys,
      replace: flag('replace'),
      migrateAfter: !flag('no-migrate'),
      log: (line) => console.log(line.startsWith(' ') ? line : `${tag} ${line}`),
    })
    console.log(
      `${tag} restored and verified ${summary.rows.toLocaleString('en')} rows of ${Object.keys(summary.tables).length} tables ` +
        `(count and SHA-256 of every table) from ${file} (${megabytes(summary.bytes)}) in ${summary.seconds.toFixed(1)} s`,
    )
    console.log(
      summary.migratedAfter.length
        ? `${tag} then applied ${summary.migratedAfter.length} newer migration(s) of this release: ${summary.migratedAfter.join(', ')}`
        : `${tag} the database is at the backup's migration level ${summary.header.migrations.at(-1)}`,
    )
    await auditOperation(db, 'backup.restored', {
      file: path.basename(file),
      rows: summary.rows,
      sha256: summary.fileSha256,
      madeAt: summary.header.createdAt,
      from: summary.header.sourceDialect,
    })
  } finally {
    await db.destroy()
  }
}

try {
  await main()
} catch (error) {
  console.error(`${tag} ${error instanceof BackupError ? 'refused' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
