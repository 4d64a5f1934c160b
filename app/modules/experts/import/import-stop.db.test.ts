/**
 * Stopping an expert import part-way: the chunks already committed stay, nothing more is imported
 * afterwards (a "continue" finds the batch stopped), the staged rows are wiped, and the stop is
 * audited with how far the import got. Only an import in progress can be stopped.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { action as batchAction, loader as batchLoader } from '#app/routes/_app.experts.import.$batchId.tsx'
import { action as uploadAction } from '#app/routes/_app.experts.import._index.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { type Pool, buildPool } from '#tests/experts/world.ts'
import { expertRows, xlsxOf } from '#tests/experts/import-files.ts'
import { call } from '#tests/security/world.ts'
import { IMPORT_CHUNK, runImport, startImport } from './import.server.ts'

let pool: Pool

beforeAll(async () => {
  pool = await buildPool(testDb())
})

async function stage(rows: number): Promise<string> {
  const file = new FormData()
  file.append('file', new File([new Uint8Array(await xlsxOf(expertRows(rows)))], 'stop.xlsx'))
  const staged = await call(uploadAction, '/experts/import', { cookie: pool.users.hdStaff.cookie, form: file })
  expect(staged.status, JSON.stringify(staged.data)).toBe(302)
  return staged.location!.split('/').pop()!
}

const post = (batchId: string, intent: string) =>
  call(batchAction, `/experts/import/${batchId}`, { cookie: pool.users.hdStaff.cookie, params: { batchId }, form: { intent } })

async function expertsCreated(): Promise<number> {
  const row = await testDb()
    .selectFrom('experts')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('created_by', '=', pool.users.hdStaff.id)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe(`stopping an expert import (${testDialect()})`, () => {
  it('keeps the committed chunks, imports nothing more, wipes the staged rows and audits the stop', { timeout: 60_000 }, async () => {
    const batchId = await stage(IMPORT_CHUNK * 3)
    const user = await requireUser(makeRequest('/', { cookie: pool.users.hdStaff.cookie }))
    const db = testDb()
    const before = await expertsCreated()
    expect(await startImport(db, user, batchId, 'all')).toBe('started')
    expect(await runImport(db, makeRequest(`/experts/import/${batchId}`), user, batchId, 0)).toEqual({ status: 'importing' })

    const stopped = await post(batchId, 'stop')
    expect(stopped.status).toBe(302)
    expect(stopped.location).toBe(`/experts/import/${batchId}`)
    const batch = await db.selectFrom('expert_import_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow()
    expect(batch).toMatchObject({ status: 'discarded', payload: '', next_index: IMPORT_CHUNK, imported_rows: IMPORT_CHUNK })
    expect(await expertsCreated()).toBe(before + IMPORT_CHUNK)

    // A "continue" still in flight (the page's auto-continue) imports nothing more.
    expect((await post(batchId, 'continue')).status).toBe(302)
    expect(await runImport(db, makeRequest(`/experts/import/${batchId}`), user, batchId)).toEqual({ status: 'discarded' })
    expect(await expertsCreated()).toBe(before + IMPORT_CHUNK)

    const events = await db
      .selectFrom('audit_log')
      .select(['detail', 'result'])
      .where('record_id', '=', batchId)
      .where('action', '=', 'expert.import')
      .execute()
    expect(events).toHaveLength(1)
    expect(JSON.parse(events[0]!.detail!)).toMatchObject({
      stopped: true,
      processed: IMPORT_CHUNK,
      of: IMPORT_CHUNK * 3,
      imported: IMPORT_CHUNK,
    })

    const page = await call(batchLoader, `/experts/import/${batchId}`, { cookie: pool.users.hdStaff.cookie, params: { batchId } })
    expect((page.data as { batch: unknown }).batch).toMatchObject({ status: 'discarded', imported_rows: IMPORT_CHUNK })
  })

  it('refuses to stop an import that has not started or has ended, and anyone else’s', async () => {
    const batchId = await stage(3)
    const notStarted = await post(batchId, 'stop')
    expect(notStarted.status).toBe(302)
    const row = await testDb().selectFrom('expert_import_batches').select('status').where('id', '=', batchId).executeTakeFirstOrThrow()
    expect(row.status).toBe('checked')
    const other = await call(batchAction, `/experts/import/${batchId}`, {
      cookie: pool.users.cyStaff.cookie,
      params: { batchId },
      form: { intent: 'stop' },
    })
    expect(other.status).toBe(404)
  })
})
