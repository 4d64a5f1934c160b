/**
 * The audit archive job (`npm run audit:archive`, db/audit-archive.ts): copies the entries older
 * than the retention (audit.retentionDays, at least 180 days) and newer than the last run's
 * watermark into a gzipped JSON-lines file under the data directory, reads the file back and
 * checks it (line count, order, first and last id, SHA-256 of the content), then records the new
 * watermark and an `audit.archived` entry in one transaction.
 *
 * The rows stay in audit_log: the append-only triggers (db/migrations/…_audit_log_append_only.ts)
 * refuse every DELETE, for this job too, and migrations are not changed for it
 * (docs/decisions/017-audit-retention.md). The watermark makes runs incremental and tells the
 * viewer how far the archive reaches.
 */
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { sql, type SqlBool } from 'kysely'
import { audit } from '#app/lib/audit.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { writeSetting } from '#app/lib/settings.server.ts'
import { type Watermark, archiveFileName, checkLines, formatWatermark, parseWatermark, retentionCutoff } from './archive.ts'
import { AUDIT_SETTINGS, readAuditSettings } from './settings.server.ts'

export const DEFAULT_ARCHIVE_DIR = 'data/audit-archive'

export interface ArchiveResult {
  rows: number
  file: string | null
  sha256: string | null
  cutoff: string
  from: Watermark | null
  through: Watermark | null
}

export class ArchiveCheckFailed extends Error {}

/** Rows strictly after the watermark and before the cutoff, oldest first, one batch. */
function batchAfter(db: Executor, after: Watermark | null, cutoff: string, size: number) {
  let q = db.selectFrom('audit_log').selectAll().where('at', '<', cutoff)
  if (after) {
    q = q.where(sql<SqlBool>`(${sql.ref('at')} > ${after.at} or (${sql.ref('at')} = ${after.at} and ${sql.ref('id')} > ${after.id}))`)
  }
  return q.orderBy('at', 'asc').orderBy('id', 'asc').limit(size).execute()
}

async function readBack(file: string): Promise<{ text: string; sha256: string }> {
  const chunks: Buffer[] = []
  await pipeline(
    createReadStream(file),
    createGunzip(),
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        chunks.push(chunk)
        done()
      },
    }),
  )
  const content = Buffer.concat(chunks)
  return { text: content.toString('utf8'), sha256: createHash('sha256').update(content).digest('hex') }
}

export async function archiveAuditLog(db: Executor, options: { dir?: string; now?: Date; batch?: number } = {}): Promise<ArchiveResult> {
  const now = options.now ?? new Date()
  const dir = options.dir ?? DEFAULT_ARCHIVE_DIR
  const batch = options.batch ?? 2000
  const settings = await readAuditSettings(db)
  const from = parseWatermark(settings.archivedThrough)
  const cutoff = retentionCutoff(now, settings.retentionDays)
  const nothing: ArchiveResult = { rows: 0, file: null, sha256: null, cutoff, from, through: null }

  let rows = await batchAfter(db, from, cutoff, batch)
  if (!rows.length) return nothing

  // Not public: the archive holds user names and addresses (never personal numbers; see audit.server.ts).
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const partial = path.join(dir, `.audit-archive-${process.pid}-${now.getTime()}.part`)
  const hash = createHash('sha256')
  const gzip = createGzip()
  const out = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }))
  // Awaited below; this only keeps an early failure from surfacing as an unhandled rejection.
  out.catch(() => undefined)
  let count = 0
  let first: Watermark | null = null
  let last: Watermark | null = null
  try {
    while (rows.length) {
      for (const r of rows) {
        const line = Buffer.from(`${JSON.stringify(r)}\n`, 'utf8')
        hash.update(line)
        if (!gzip.write(line)) await new Promise((resolve) => gzip.once('drain', resolve))
        first ??= { at: r.at, id: r.id }
        last = { at: r.at, id: r.id }
        count++
      }
      if (rows.length < batch) break
      rows = await batchAfter(db, last, cutoff, batch)
    }
    gzip.end()
    await out
    const sha256 = hash.digest('hex')

    const check = await readBack(partial)
    const lines = checkLines(check.text)
    if (!lines.ok || lines.rows !== count || check.sha256 !== sha256 || lines.firstId !== first!.id || lines.lastId !== last!.id) {
      throw new ArchiveCheckFailed(`the archive file does not read back as written (${lines.rows} of ${count} rows)`)
    }
    const file = path.join(dir, archiveFileName(first!.at, last!.at, now))
    await rename(partial, file)

    await db
      .transaction()
      .execute(async (trx) => {
        // Another run that finished meanwhile moved the watermark: keep its file, not this one.
        const current = parseWatermark((await readAuditSettings(trx)).archivedThrough)
        if (formatWatermark(current ?? { at: '', id: '' }) !== formatWatermark(from ?? { at: '', id: '' })) {
          throw new ArchiveCheckFailed('another archive run moved the watermark meanwhile; nothing recorded')
        }
        await writeSetting(trx, AUDIT_SETTINGS.archivedThrough, formatWatermark(last!), null)
        await audit(
          trx,
          new Request('http://localhost/audit-archive'),
          { userId: null, username: 'system:audit-archive', roles: null, scope: null },
          {
            action: 'audit.archived',
            recordType: 'audit_log',
            detail: {
              file: path.basename(file),
              rows: count,
              from: first!.at,
              through: last!.at,
              sha256,
              retentionDays: settings.retentionDays,
            },
          },
        )
      })
      .catch(async (error: unknown) => {
        await rm(file, { force: true })
        throw error
      })
    return { rows: count, file, sha256, cutoff, from, through: last }
  } finally {
    await rm(partial, { force: true })
  }
}
