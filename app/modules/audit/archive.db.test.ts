/**
 * The audit archive job: entries older than the retention are copied to a gzipped JSON-lines
 * file, checked, and the watermark recorded with an `audit.archived` entry; a second run writes
 * nothing; a later run continues after the watermark. The rows stay in the table: the
 * append-only triggers refuse their deletion, for the job as for everyone.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { readSettings, writeSetting } from '#app/lib/settings.server.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { parseWatermark } from './archive.ts'
import { archiveAuditLog } from './archive.server.ts'
import { AUDIT_SETTINGS } from './settings.server.ts'

const NOW = new Date('2026-12-05T00:00:00.000Z')
let dir: string

function entry(at: string, action = 'old.thing') {
  return {
    id: newId(),
    at,
    user_id: null,
    username: 'zz.archive',
    roles: null,
    scope: null,
    ip: '10.0.0.1',
    action,
    record_type: null,
    record_id: null,
    result: 'ok' as const,
    detail: JSON.stringify({ n: at }),
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tj-audit-archive-'))
  await testDb()
    .insertInto('audit_log')
    .values([
      entry('2025-01-10T00:00:00.000Z'),
      entry('2025-06-01T00:00:00.000Z'),
      entry('2025-06-01T00:00:00.000Z'),
      // 365 days before NOW is 2025-12-05: this one is younger and stays out of the archive.
      entry('2025-12-06T00:00:00.000Z'),
      entry('2026-11-30T00:00:00.000Z', 'recent.thing'),
    ])
    .execute()
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function filesIn(): Promise<string[]> {
  return (await readdir(dir)).sort()
}

describe(`audit archive job (${testDialect()})`, () => {
  it('copies entries older than the default 365 days, checks the file and records the watermark', async () => {
    const result = await archiveAuditLog(testDb(), { dir, now: NOW, batch: 2 })
    expect(result.rows).toBe(3)
    expect(result.cutoff).toBe('2025-12-05T00:00:00.000Z')
    const files = await filesIn()
    expect(files).toEqual(['audit-log-2025-01-10_2025-06-01-20261205T000000Z.jsonl.gz'])
    expect((await stat(path.join(dir, files[0]!))).mode & 0o077).toBe(0)
    const lines = gunzipSync(await readFile(path.join(dir, files[0]!)))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; at: string; username: string; ip: string; detail: string })
    expect(lines.map((l) => l.at)).toEqual(['2025-01-10T00:00:00.000Z', '2025-06-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'])
    expect(lines[0]).toMatchObject({ username: 'zz.archive', ip: '10.0.0.1', detail: JSON.stringify({ n: '2025-01-10T00:00:00.000Z' }) })

    const { archivedThrough } = await readSettings(testDb(), AUDIT_SETTINGS)
    expect(parseWatermark(archivedThrough)).toEqual({ at: lines[2]!.at, id: lines[2]!.id })
    const logged = await testDb().selectFrom('audit_log').selectAll().where('action', '=', 'audit.archived').execute()
    expect(logged).toHaveLength(1)
    expect(JSON.parse(logged[0]!.detail!)).toMatchObject({
      file: files[0],
      rows: 3,
      through: '2025-06-01T00:00:00.000Z',
      sha256: result.sha256,
    })

    // Append-only holds for the job too: the archived rows are still in the table.
    const still = await testDb().selectFrom('audit_log').select('id').where('username', '=', 'zz.archive').execute()
    expect(still).toHaveLength(5)
  })

  it('writes nothing when nothing new is old enough', async () => {
    const result = await archiveAuditLog(testDb(), { dir, now: NOW })
    expect(result.rows).toBe(0)
    expect(await filesIn()).toHaveLength(1)
    expect(await testDb().selectFrom('audit_log').select('id').where('action', '=', 'audit.archived').execute()).toHaveLength(1)
  })

  it('continues after the watermark on a later run, with the retention setting', async () => {
    await writeSetting(testDb(), AUDIT_SETTINGS.retentionDays, 180, null)
    const result = await archiveAuditLog(testDb(), { dir, now: new Date('2027-06-05T00:00:00.000Z') })
    // 180 days before 2027-06-05 is 2026-12-07: the 2025-12-06 and 2026-11-30 entries (and other
    // entries of this file's database written since) are archived; nothing twice.
    expect(result.cutoff).toBe('2026-12-07T00:00:00.000Z')
    expect(result.from?.at).toBe('2025-06-01T00:00:00.000Z')
    const files = await filesIn()
    expect(files).toHaveLength(2)
    const lines = gunzipSync(await readFile(path.join(dir, files.find((f) => f.includes('20270605'))!)))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { at: string; action: string })
    expect(lines.map((l) => l.action)).toContain('recent.thing')
    expect(lines.filter((l) => l.action === 'old.thing').map((l) => l.at)).toEqual(['2025-12-06T00:00:00.000Z'])
    expect(result.rows).toBe(lines.length)
  })

  it('refuses a retention shorter than 180 days', async () => {
    expect(() => AUDIT_SETTINGS.retentionDays.schema.parse(179)).toThrow()
    await expect(writeSetting(testDb(), AUDIT_SETTINGS.retentionDays, 90, null)).rejects.toThrow()
  })
})
