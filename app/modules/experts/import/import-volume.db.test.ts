/**
 * A big file: 5,000 rows (the accepted maximum) staged and imported in chunks. Importing one chunk
 * per step shows the progress state the page reads (`next_index` of `good_rows`), and the
 * "continue" action carries it to the end. Prints how long checking and importing took.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { action as batchAction, loader as batchLoader } from '#app/routes/_app.experts.import.$batchId.tsx'
import { action as uploadAction } from '#app/routes/_app.experts.import._index.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { type Pool, buildPool } from '#tests/experts/world.ts'
import { expertRows, xlsxOf } from '#tests/experts/import-files.ts'
import { call } from '#tests/security/world.ts'
import { IMPORT_CHUNK, IMPORT_LIMITS, runImport, startImport } from './import.server.ts'

let pool: Pool

beforeAll(async () => {
  pool = await buildPool(testDb())
})

describe(`a 5,000-row import (${testDialect()})`, () => {
  it('checks, stages and imports in chunks with a progress count, one audit event at the end', { timeout: 120_000 }, async () => {
    const rows = expertRows(IMPORT_LIMITS.maxRows)
    const file = new FormData()
    file.append('file', new File([new Uint8Array(await xlsxOf(rows))], 'big.xlsx'))
    const checkStart = performance.now()
    const staged = await call(uploadAction, '/experts/import', { cookie: pool.users.hdStaff.cookie, form: file })
    const checkMs = performance.now() - checkStart
    expect(staged.status, JSON.stringify(staged.data)).toBe(302)
    const batchId = staged.location!.split('/').pop()!

    const user = await requireUser(makeRequest('/', { cookie: pool.users.hdStaff.cookie }))
    const db = testDb()
    expect(await startImport(db, user, batchId, 'all')).toBe('started')
    // One chunk, then the page shows where it stands.
    const importStart = performance.now()
    expect(await runImport(db, makeRequest(`/experts/import/${batchId}`), user, batchId, 0)).toEqual({ status: 'importing' })
    const progress = await call(batchLoader, `/experts/import/${batchId}`, { cookie: pool.users.hdStaff.cookie, params: { batchId } })
    expect((progress.data as { batch: unknown }).batch).toMatchObject({ status: 'importing', next_index: IMPORT_CHUNK, good_rows: 5000 })

    let steps = 0
    for (;;) {
      const step = await call(batchAction, `/experts/import/${batchId}`, {
        cookie: pool.users.hdStaff.cookie,
        params: { batchId },
        form: { intent: 'continue' },
      })
      expect(step.status).toBe(302)
      steps++
      const batch = await db
        .selectFrom('expert_import_batches')
        .select(['status', 'imported_rows'])
        .where('id', '=', batchId)
        .executeTakeFirstOrThrow()
      if (batch.status === 'done') break
      expect(steps).toBeLessThan(30)
    }
    const importMs = performance.now() - importStart
    const count = await db
      .selectFrom('people')
      .select((eb) => eb.fn.countAll().as('n'))
      .where(
        'id_number_hash',
        'in',
        rows.slice(0, 1000).map((r) => lookupHash('id', r.idNumber)),
      )
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(1000)
    const experts = await db
      .selectFrom('experts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('created_by', '=', pool.users.hdStaff.id)
      .executeTakeFirstOrThrow()
    expect(Number(experts.n)).toBe(5000)
    const events = await db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'expert.import')
      .where('record_id', '=', batchId)
      .execute()
    expect(events).toHaveLength(1)
    expect(JSON.parse(events[0]!.detail!)).toMatchObject({ imported: 5000, rows: 5000 })
    console.log(
      `[import-volume ${testDialect()}] 5000 rows: check+stage ${Math.round(checkMs)} ms, import ${Math.round(importMs)} ms in ${steps + 1} requests`,
    )
  })
})
