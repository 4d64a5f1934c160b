/**
 * Exporting the roster: the file is read back with exceljs and its cells checked. Masked numbers by
 * default; full numbers only when asked for by a user who may reveal them, and then only for the
 * experts their reveal permission reaches; every export audited with its filter and count.
 */
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { decrypt } from '#app/lib/crypto.server.ts'
import { action as exportAction, loader as exportLoader } from '#app/routes/_app.experts.export.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { type Pool, buildPool } from '#tests/experts/world.ts'
import { call } from '#tests/security/world.ts'
import { EXPERT_COLUMNS } from './import/columns.ts'

let pool: Pool

beforeAll(async () => {
  pool = await buildPool(testDb())
})

const db = () => testDb()

async function readSheet(response: Response) {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(await response.arrayBuffer())
  const sheet = workbook.worksheets[0]!
  const headers = (sheet.getRow(1).values as unknown[]).slice(1)
  const col = (header: string) => headers.indexOf(header) + 1
  const rows = new Map<string, ExcelJS.Row>()
  sheet.eachRow((row, n) => {
    if (n > 1) rows.set(String(row.getCell(col('姓名')).value), row)
  })
  return { headers, col, rows }
}

async function numbersOf(personId: string) {
  const p = await db()
    .selectFrom('people')
    .select(['id_number_enc', 'id_number_masked', 'phone_enc', 'phone_masked'])
    .where('id', '=', personId)
    .executeTakeFirstOrThrow()
  return { id: decrypt(p.id_number_enc!), idMasked: p.id_number_masked!, phone: decrypt(p.phone_enc!), phoneMasked: p.phone_masked! }
}

async function exportEvents(userId: string) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', 'expert.export')
    .where('user_id', '=', userId)
    .orderBy('at', 'desc')
    .execute()
}

describe(`exporting the roster (${testDialect()})`, () => {
  it('exports what the user sees, masked, as an attachment with text ID cells, and audits it', async () => {
    const response = (await exportLoader({
      request: makeRequest('/experts/export?tier=district', { cookie: pool.users.hdStaff.cookie }),
      params: {},
      context: {},
    })) as Response
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    expect(response.headers.get('Content-Disposition')).toMatch(
      new RegExp(`^attachment; filename=".*\\.xlsx"; filename\\*=UTF-8''${encodeURIComponent('专家库导出')}-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`),
    )
    const { headers, col, rows } = await readSheet(response)
    expect(headers.slice(0, EXPERT_COLUMNS.length)).toEqual(EXPERT_COLUMNS.map((c) => c.header))
    const haidian = pool.experts.haidian.expert
    // The district filter applies; Chaoyang's district experts are out of Haidian's view.
    expect([...rows.keys()]).toEqual([haidian.name])
    const numbers = await numbersOf(haidian.person_id)
    const row = rows.get(haidian.name)!
    const idCell = row.getCell(col('身份证号'))
    expect(idCell.value).toBe(numbers.idMasked)
    expect(typeof idCell.value).toBe('string')
    expect(idCell.numFmt).toBe('@')
    expect(row.getCell(col('手机号')).value).toBe(numbers.phoneMasked)
    expect(row.getCell(col('层级')).value).toBe('区县级')
    expect(row.getCell(col('任期结束')).value).toBe(haidian.term_end)
    const [event] = await exportEvents(pool.users.hdStaff.id)
    expect(JSON.parse(event!.detail!)).toMatchObject({ filter: { tier: 'district' }, count: 1, full: false, revealed: 0 })
  })

  it('full numbers only on request, only for experts the reveal permission reaches, audited', async () => {
    const request = makeRequest('/experts/export', { cookie: pool.users.hdStaff.cookie, form: { full: '1' } })
    const response = (await exportAction({ request, params: {}, context: {} })) as Response
    const { col, rows } = await readSheet(response)
    const haidian = await numbersOf(pool.experts.haidian.expert.person_id)
    const municipal = await numbersOf(pool.experts.municipal.expert.person_id)
    const idCell = rows.get(pool.experts.haidian.expert.name)!.getCell(col('身份证号'))
    expect(idCell.value).toBe(haidian.id)
    expect(idCell.numFmt).toBe('@')
    expect(rows.get(pool.experts.haidian.expert.name)!.getCell(col('手机号')).value).toBe(haidian.phone)
    // A municipal expert seen from a district stays masked.
    expect(rows.get(pool.experts.municipal.expert.name)!.getCell(col('身份证号')).value).toBe(municipal.idMasked)
    const [event] = await exportEvents(pool.users.hdStaff.id)
    expect(JSON.parse(event!.detail!)).toMatchObject({ full: true, revealed: 1 })
    expect(event!.detail).not.toContain(haidian.id)
  })

  it('refuses full numbers to users without the reveal permission, and the export to experts', async () => {
    const refused = await call(exportAction, '/experts/export', { cookie: pool.users.hdManager.cookie, form: { full: '1' } })
    expect(refused.status).toBe(403)
    expect(await exportEvents(pool.users.hdManager.id)).toEqual([])
    const masked = (await exportLoader({
      request: makeRequest('/experts/export', { cookie: pool.users.hdManager.cookie }),
      params: {},
      context: {},
    })) as Response
    const { col, rows } = await readSheet(masked)
    const haidian = await numbersOf(pool.experts.haidian.expert.person_id)
    expect(rows.get(pool.experts.haidian.expert.name)!.getCell(col('身份证号')).value).toBe(haidian.idMasked)
    expect((await call(exportLoader, '/experts/export', { cookie: pool.users.expert.cookie })).status).toBe(403)
    expect((await call(exportLoader, '/experts/export', { cookie: pool.users.noGrants.cookie })).status).toBe(403)
  })
})
