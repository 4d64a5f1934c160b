/**
 * Importing experts from a spreadsheet through the real routes: a 50-row file with 3 bad rows is
 * reported row by row and column by column, can only be imported as "good rows only", creates 47
 * experts in one audited import, and changes nothing when uploaded again. Scope: a district importer
 * cannot create another district's experts. CSV and the size and type checks go the same way.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { action as batchAction, loader as batchLoader } from '#app/routes/_app.experts.import.$batchId.tsx'
import { loader as templateLoader } from '#app/routes/_app.experts.import-template.tsx'
import { action as uploadAction } from '#app/routes/_app.experts.import._index.tsx'
import ExcelJS from 'exceljs'
import { makeRequest } from '#tests/fixtures/request.ts'
import { EXPERT_COLUMNS } from './columns.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type Pool, buildPool } from '#tests/experts/world.ts'
import { type ImportRow, csvOf, expertRows, xlsxOf } from '#tests/experts/import-files.ts'
import { call } from '#tests/security/world.ts'
import type { ImportReport } from './import.server.ts'

let pool: Pool

beforeAll(async () => {
  pool = await buildPool(testDb())
})

const db = () => testDb()

function upload(cookie: string, body: Uint8Array | string, name: string) {
  const form = new FormData()
  form.append('file', new File([typeof body === 'string' ? body : new Uint8Array(body)], name))
  return call(uploadAction, '/experts/import', { cookie, form })
}

async function uploadRows(cookie: string, rows: ImportRow[], name = 'experts.xlsx') {
  const outcome = await upload(cookie, new Uint8Array(await xlsxOf(rows)), name)
  expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
  const batchId = outcome.location!.split('/').pop()!
  return batchId
}

async function report(cookie: string, batchId: string) {
  const outcome = await call(batchLoader, `/experts/import/${batchId}`, { cookie, params: { batchId } })
  expect(outcome.status).toBe(200)
  return (
    outcome.data as {
      batch: { good_rows: number; bad_rows: number; existing_rows: number; status: string; imported_rows: number; report: ImportReport }
    }
  ).batch
}

async function expertsWithIds(rows: ImportRow[]) {
  const hashes = rows.map((r) => lookupHash('id', r.idNumber))
  return db()
    .selectFrom('experts as e')
    .innerJoin('people as p', 'p.id', 'e.person_id')
    .select(['e.person_id', 'e.name', 'e.tier', 'e.region_code', 'e.created_by', 'p.id_number_masked', 'p.id_number_enc'])
    .where('p.id_number_hash', 'in', hashes)
    .execute()
}

describe(`importing experts (${testDialect()})`, () => {
  const rows = expertRows(50)
  // Three bad rows, at spreadsheet rows 6, 21 and 40 (the header is row 1).
  rows[4] = { ...rows[4]!, idNumber: `${rows[4]!.idNumber.slice(0, 17)}${rows[4]!.idNumber.endsWith('0') ? '1' : '0'}` }
  rows[19] = { ...rows[19]!, primaryDomains: '不存在的纠纷', phone: '12345' }
  rows[38] = { ...rows[38]!, termStart: '2030-01-01', termEnd: '2029-01-01' }
  let batchId: string

  it('reports the three bad rows with their columns and keeps the 47 good ones', async () => {
    batchId = await uploadRows(pool.users.hdStaff.cookie, rows)
    const batch = await report(pool.users.hdStaff.cookie, batchId)
    expect(batch).toMatchObject({ status: 'checked', good_rows: 47, bad_rows: 3, existing_rows: 0 })
    expect(batch.report.bad.map((b) => [b.row, b.name, b.errors.map((e) => e.column).sort()])).toEqual([
      [6, rows[4]!.name, ['身份证号']],
      [21, rows[19]!.name, ['主要领域', '手机号'].sort()],
      [40, rows[38]!.name, ['任期结束']],
    ])
    expect(batch.report.bad[0]!.errors[0]!.message).toBe('validation.idNumber.checksum')
    expect(batch.report.bad[2]!.errors[0]!.message).toBe('experts.term.endBeforeStart')
    // The staged rows are sealed: no full ID number in the batch row.
    const stored = await db().selectFrom('expert_import_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow()
    expect(`${stored.payload}${stored.report}`).not.toContain(rows[0]!.idNumber)
    expect(await expertsWithIds(rows)).toEqual([])
  })

  it('refuses "import all" while the file has errors, and shows nothing to anyone else', async () => {
    const all = await call(batchAction, `/experts/import/${batchId}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { batchId },
      form: { intent: 'start', mode: 'all' },
    })
    expect(all.status).toBe(400)
    expect(await expertsWithIds(rows)).toEqual([])
    const other = await call(batchLoader, `/experts/import/${batchId}`, { cookie: pool.users.admin.cookie, params: { batchId } })
    expect(other.status).toBe(404)
    const otherStart = await call(batchAction, `/experts/import/${batchId}`, {
      cookie: pool.users.admin.cookie,
      params: { batchId },
      form: { intent: 'start', mode: 'good' },
    })
    expect(otherStart.status).toBe(404)
  })

  it('imports only the good rows: 47 experts, one audit event with the counts', async () => {
    const outcome = await call(batchAction, `/experts/import/${batchId}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { batchId },
      form: { intent: 'start', mode: 'good' },
    })
    expect(outcome.status).toBe(302)
    const created = await expertsWithIds(rows)
    expect(created).toHaveLength(47)
    expect(created.every((e) => e.tier === 'district' && e.region_code === '110108' && e.created_by === pool.users.hdStaff.id)).toBe(true)
    expect(created.every((e) => e.id_number_masked?.includes('********') && !e.id_number_enc?.includes('110108'))).toBe(true)
    const ids = created.map((e) => e.person_id)
    const [domains, terms, history] = await Promise.all([
      db().selectFrom('expert_domains').select('expert_id').where('expert_id', 'in', ids).execute(),
      db().selectFrom('expert_terms').select('expert_id').where('expert_id', 'in', ids).execute(),
      db().selectFrom('expert_status_changes').select('expert_id').where('expert_id', 'in', ids).execute(),
    ])
    expect(domains).toHaveLength(47 * 3)
    expect(terms).toHaveLength(47)
    expect(history).toHaveLength(47)
    const events = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'expert.import')
      .where('record_id', '=', batchId)
      .execute()
    expect(events).toHaveLength(1)
    expect(JSON.parse(events[0]!.detail!)).toMatchObject({ mode: 'good', rows: 50, imported: 47, invalid: 3, skippedExisting: 0 })
    expect(events[0]!.detail).not.toContain(rows[0]!.idNumber)
    const batch = await report(pool.users.hdStaff.cookie, batchId)
    expect(batch).toMatchObject({ status: 'done', imported_rows: 47 })
    const stored = await db().selectFrom('expert_import_batches').select('payload').where('id', '=', batchId).executeTakeFirstOrThrow()
    expect(stored.payload).toBe('')
  })

  it('a second submit of the same batch imports nothing more', async () => {
    const again = await call(batchAction, `/experts/import/${batchId}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { batchId },
      form: { intent: 'start', mode: 'good' },
    })
    expect(again.status).toBe(302)
    expect(await expertsWithIds(rows)).toHaveLength(47)
  })

  it('re-importing the same file adds nobody: the 47 are "already registered"', async () => {
    const second = await uploadRows(pool.users.hdStaff.cookie, rows)
    const batch = await report(pool.users.hdStaff.cookie, second)
    expect(batch).toMatchObject({ good_rows: 0, bad_rows: 3, existing_rows: 47 })
    expect(batch.report.existing.map((e) => e.row)).toHaveLength(47)
    expect(await expertsWithIds(rows)).toHaveLength(47)
  })

  it('imports the corrected rows afterwards from a clean file', async () => {
    const fixed = [...rows]
    fixed[4] = expertRows(1)[0]!
    fixed[19] = { ...fixed[19]!, primaryDomains: '合同', phone: '13700001111' }
    fixed[38] = { ...fixed[38]!, termStart: '2026-12-01', termEnd: '2030-11-30' }
    const id = await uploadRows(pool.users.hdStaff.cookie, fixed)
    const batch = await report(pool.users.hdStaff.cookie, id)
    expect(batch).toMatchObject({ good_rows: 3, bad_rows: 0, existing_rows: 47 })
    const outcome = await call(batchAction, `/experts/import/${id}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { batchId: id },
      form: { intent: 'start', mode: 'all' },
    })
    expect(outcome.status).toBe(302)
    expect(await expertsWithIds(fixed)).toHaveLength(50)
  })
})

describe(`import scope and file checks (${testDialect()})`, () => {
  it('a district importer cannot create another district’s experts', async () => {
    const haidianRows = expertRows(3)
    const batchId = await uploadRows(pool.users.cyStaff.cookie, haidianRows)
    const batch = await report(pool.users.cyStaff.cookie, batchId)
    expect(batch).toMatchObject({ good_rows: 0, bad_rows: 3 })
    expect(batch.report.bad[0]!.errors).toEqual([{ column: '所属地区代码', message: 'experts.validation.notYourBody' }])
    const outcome = await call(batchAction, `/experts/import/${batchId}`, {
      cookie: pool.users.cyStaff.cookie,
      params: { batchId },
      form: { intent: 'start', mode: 'good' },
    })
    expect(outcome.status).toBe(302)
    expect(await expertsWithIds(haidianRows)).toEqual([])
  })

  it('staff without an appointing body, and committee managers, may not import at all', async () => {
    const form = new FormData()
    form.append('file', new File([new Uint8Array(await xlsxOf(expertRows(1)))], 'a.xlsx'))
    expect((await call(uploadAction, '/experts/import', { cookie: pool.users.hdManager.cookie, form })).status).toBe(403)
  })

  it('reads CSV (BOM, CRLF, quotes) and flags duplicates within the file', async () => {
    const csvRows = expertRows(3)
    csvRows[1] = { ...csvRows[1]!, employer: '北京"华信", 律师事务所' }
    csvRows.push({ ...csvRows[0]!, name: csvRows[0]!.name })
    const outcome = await upload(pool.users.hdStaff.cookie, csvOf(csvRows), 'experts.csv')
    expect(outcome.status).toBe(302)
    const batchId = outcome.location!.split('/').pop()!
    const batch = await report(pool.users.hdStaff.cookie, batchId)
    expect(batch).toMatchObject({ good_rows: 3, bad_rows: 1 })
    expect(batch.report.bad[0]).toMatchObject({
      row: 5,
      errors: [{ column: '身份证号', message: 'expertImport.error.duplicateInFile?row=2' }],
    })
    await call(batchAction, `/experts/import/${batchId}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { batchId },
      form: { intent: 'start', mode: 'good' },
    })
    const created = await db()
      .selectFrom('experts as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select('e.employer')
      .where('p.id_number_hash', '=', lookupHash('id', csvRows[1]!.idNumber))
      .executeTakeFirstOrThrow()
    expect(created.employer).toBe('北京"华信", 律师事务所')
  })

  it('refuses other file types by their bytes, files without the template’s columns, and discards on request', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const typed = await upload(pool.users.hdStaff.cookie, png, 'experts.xlsx')
    expect(typed).toMatchObject({ status: 400, data: { error: 'expertImport.error.type' } })
    const renamed = await upload(pool.users.hdStaff.cookie, new Uint8Array(await xlsxOf(expertRows(1))), 'experts.csv')
    expect(renamed).toMatchObject({ status: 400, data: { error: 'expertImport.error.type' } })
    const columns = await upload(pool.users.hdStaff.cookie, '姓名,备注\r\n王五,x\r\n', 'experts.csv')
    expect(columns.status).toBe(400)
    expect(columns.data).toMatchObject({ error: 'expertImport.error.missingColumns' })
    const batchId = await uploadRows(pool.users.hdStaff.cookie, expertRows(2))
    const discarded = await call(batchAction, `/experts/import/${batchId}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { batchId },
      form: { intent: 'discard' },
    })
    expect(discarded.location).toBe('/experts/import')
    const stored = await db()
      .selectFrom('expert_import_batches')
      .select(['status', 'payload'])
      .where('id', '=', batchId)
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({ status: 'discarded', payload: '' })
  })
})

describe(`the import template (${testDialect()})`, () => {
  it('has the Chinese headers, text ID column and the importer’s own regions among the allowed values', async () => {
    const response = (await templateLoader({
      request: makeRequest('/experts/import-template', { cookie: pool.users.hdStaff.cookie }),
      params: {},
      context: {},
    })) as Response
    expect(response.headers.get('Content-Disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('专家导入模板')}.xlsx`)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await response.arrayBuffer())
    const [sheet, values] = workbook.worksheets
    expect((sheet!.getRow(1).values as unknown[]).slice(1)).toEqual(EXPERT_COLUMNS.map((c) => c.header))
    const idColumn = EXPERT_COLUMNS.findIndex((c) => c.field === 'idNumber') + 1
    expect(sheet!.getColumn(idColumn).numFmt).toBe('@')
    const regionCodes: string[] = []
    values!.eachRow((row) => {
      if (row.getCell(1).value === '所属地区代码') regionCodes.push(String(row.getCell(2).value))
    })
    expect(regionCodes).toEqual(['110108'])
    expect((await call(templateLoader, '/experts/import-template', { cookie: pool.users.hdManager.cookie })).status).toBe(403)
  })
})
