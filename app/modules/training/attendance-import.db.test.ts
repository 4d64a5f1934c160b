/**
 * Attendance import through the real routes: a file with bad rows gets a report row by row and
 * writes nothing; "correct rows only" writes the good ones; the same file again adds nothing; a
 * clean file imports in one request (2,000 rows, the limit, measured); writes are audited. A cancelled import
 * (the request's signal aborts between chunks) writes nothing and is audited; the import yields to
 * the event loop between chunks; a double submit never records anyone twice.
 */
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import { requirePermission } from '#app/modules/auth/authz.server.ts'
import { ATTENDANCE_LIMITS } from '#app/modules/training/attendance-import.ts'
import { getSession, recordAttendance } from '#app/modules/training/sessions.server.ts'
import { type ImportProgress, importAttendance } from '#app/modules/training/attendance-import.server.ts'
import * as importRoute from '#app/routes/_app.training.sessions.$sessionId_.import.tsx'
import * as templateRoute from '#app/routes/_app.training.attendance-template.tsx'
import * as newRoute from '#app/routes/_app.training.sessions.new.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { buildMediator, buildPerson } from '#tests/fixtures/factories.ts'
import { personRow } from '#db/seed/factories.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { buildWorld, call, HAIDIAN, type World } from '#tests/security/world.ts'

let world: World
let sessionId: string
const cards: Record<'hd1' | 'hd2' | 'other' | 'cy', string> = { hd1: '', hd2: '', other: '', cy: '' }

async function cardOf(personId: string): Promise<string> {
  const existing = await testDb().selectFrom('mediators').select('card_number').where('person_id', '=', personId).executeTakeFirstOrThrow()
  if (existing.card_number) return existing.card_number
  const card = `T${personId.slice(-10)}`
  await testDb().updateTable('mediators').set({ card_number: card }).where('person_id', '=', personId).execute()
  return card
}

const SESSION_FORM = {
  title: '2026年海淀区调解技巧专题培训班',
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
}

async function xlsxOf(rows: (string | null)[][]): Promise<Uint8Array> {
  const body = await buildWorkbook([
    { name: '参训人员', columns: [{ header: '工作证号', text: true }, { header: '姓名' }, { header: '考核结果' }], rows },
  ])
  return new Uint8Array(body)
}

function upload(path: string, cookie: string, bytes: Uint8Array | string, name: string, intent: 'all' | 'valid') {
  const form = new FormData()
  form.append('file', new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name))
  return call(importRoute.action, intent === 'valid' ? `${path}?mode=valid` : path, { cookie, form, params: { sessionId } })
}

async function attendees(id = sessionId) {
  return testDb().selectFrom('training_records').select(['person_id', 'assessment', 'hours_tenths']).where('session_id', '=', id).execute()
}

/** `count` Haidian mediators of the second committee with cards `<prefix>000000`…, as file rows. */
async function addMediators(count: number, prefix: string): Promise<string[][]> {
  const people = []
  const mediators = []
  const rows: string[][] = []
  for (let i = 0; i < count; i++) {
    const person = buildPerson({ region_code: HAIDIAN, org_id: world.orgs.hdCommittee2 })
    const card = `${prefix}${String(i).padStart(6, '0')}`
    people.push(personRow(person))
    mediators.push(buildMediator({ person_id: person.id, org_id: world.orgs.hdCommittee2, card_number: card }))
    rows.push([card, person.name, '合格'])
  }
  // Inserted in bulk: one factory call per mediator would take longer than the import measured.
  for (let i = 0; i < count; i += 200) {
    await testDb()
      .insertInto('people')
      .values(people.slice(i, i + 200))
      .execute()
    await testDb()
      .insertInto('mediators')
      .values(mediators.slice(i, i + 200))
      .execute()
  }
  return rows
}

type Report = {
  imported: number
  rows: number
  bad: { rowNumber: number; problems: { field: string; message: string; params?: object }[] }[]
}

beforeAll(async () => {
  world = await buildWorld(testDb())
  cards.hd1 = await cardOf(world.people.hdMediator.id)
  cards.hd2 = await cardOf(world.people.hdMediator2.id)
  cards.other = await cardOf(world.people.hdOther.id)
  cards.cy = await cardOf(world.people.cyMediator.id)
  const created = await call(newRoute.action, '/training/sessions/new', { cookie: world.users.hdManager.cookie, form: SESSION_FORM })
  expect(created.status).toBe(302)
  sessionId = created.location!.split('/').at(-1)!
})

describe(`attendance import (${testDialect()})`, () => {
  it('offers a template with the Chinese headers', async () => {
    const response = (await templateRoute.loader({
      request: makeRequest('/training/attendance-template', { cookie: world.users.hdManager.cookie }),
      params: {},
      context: {},
    })) as Response
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await response.arrayBuffer())
    expect(book.worksheets[0]!.getRow(1).values).toEqual([undefined, '工作证号', '姓名', '考核结果'])
  })

  it('reports every bad row and field, and imports nothing unless asked for the good rows only', async () => {
    const path = `/training/sessions/${sessionId}/import`
    const file = await xlsxOf([
      [cards.hd1, world.people.hdMediator.name, '优秀'], // row 2: good
      [cards.hd2, '不是这个人', null], // row 3: name mismatch
      ['NOPE-0001', '张三', null], // row 4: unknown card
      [cards.other, world.people.hdOther.name, null], // row 5: another committee, out of the manager's scope
      [cards.cy, world.people.cyMediator.name, null], // row 6: another district
      [cards.hd1, world.people.hdMediator.name, null], // row 7: duplicate of row 2
      ['', '', 'x'.repeat(101)], // row 8: empty card and name, assessment too long
    ])
    const checked = await upload(path, world.users.hdManager.cookie, file, 'attendance.xlsx', 'all')
    expect(checked.status).toBe(400)
    const report = checked.data as Report
    expect(report).toMatchObject({ imported: 0, rows: 7 })
    const byRow = new Map(report.bad.map((r) => [r.rowNumber, r.problems]))
    expect([...byRow.keys()]).toEqual([3, 4, 5, 6, 7, 8])
    expect(byRow.get(3)).toEqual([{ field: 'name', message: 'training.attendanceImport.nameMismatch' }])
    expect(byRow.get(4)).toEqual([{ field: 'cardNumber', message: 'training.session.unknownCard' }])
    expect(byRow.get(5)).toEqual(byRow.get(4))
    expect(byRow.get(6)).toEqual(byRow.get(4))
    expect(byRow.get(7)).toEqual([{ field: 'cardNumber', message: 'training.attendanceImport.duplicate', params: { row: 2 } }])
    expect(byRow.get(8)).toEqual([
      { field: 'cardNumber', message: 'validation.required' },
      { field: 'name', message: 'validation.required' },
      { field: 'assessment', message: 'validation.tooLong', params: { max: 100 } },
    ])
    // Nothing about the out-of-scope mediators leaks into the report.
    expect(JSON.stringify(report)).not.toContain(world.people.hdOther.id)
    expect(await attendees()).toEqual([])

    const good = await upload(path, world.users.hdManager.cookie, file, 'attendance.xlsx', 'valid')
    expect(good.status).toBe(200)
    expect(good.data).toMatchObject({ imported: 1, rows: 7 })
    expect(await attendees()).toEqual([{ person_id: world.people.hdMediator.id, assessment: '优秀', hours_tenths: 80 }])

    // The same file again adds nothing: row 2 is now already recorded.
    const again = await upload(path, world.users.hdManager.cookie, file, 'attendance.xlsx', 'valid')
    expect(again.data).toMatchObject({ imported: 0 })
    expect((again.data as Report).bad.find((r) => r.rowNumber === 2)?.problems).toEqual([
      { field: 'cardNumber', message: 'training.session.alreadyRecorded' },
    ])
    expect(await attendees()).toHaveLength(1)

    const logged = await testDb()
      .selectFrom('audit_log')
      .select(['result', 'detail'])
      .where('action', '=', 'training.attendance_imported')
      .where('record_id', '=', sessionId)
      .orderBy('at')
      .execute()
    expect(logged.map((l) => [l.result, JSON.parse(l.detail!).imported])).toEqual([
      ['failed', 0],
      ['ok', 1],
      ['failed', 0],
    ])
  })

  it('imports a corrected .csv in one go, names compared without spaces', async () => {
    const path = `/training/sessions/${sessionId}/import`
    const spaced = world.people.hdMediator2.name.split('').join(' ')
    const csv = `\uFEFF工作证号,姓名,考核结果\r\n${cards.hd2},${spaced},合格\r\n`
    const done = await upload(path, world.users.hdManager.cookie, csv, 'fixed.csv', 'all')
    expect(done.status).toBe(302)
    expect(done.location).toBe(`/training/sessions/${sessionId}`)
    expect((await attendees()).map((a) => a.person_id).sort()).toEqual([world.people.hdMediator.id, world.people.hdMediator2.id].sort())
  })

  it('refuses files that are not spreadsheets, or lack a required column, and outsiders', async () => {
    const path = `/training/sessions/${sessionId}/import`
    const fake = await upload(path, world.users.hdManager.cookie, 'PK\u0003\u0004garbage', 'a.csv', 'all')
    expect(fake.data).toEqual({ error: 'training.attendanceImport.error.type' })
    const noName = await upload(path, world.users.hdManager.cookie, `工作证号\r\n${cards.hd1}\r\n`, 'a.csv', 'all')
    expect(noName.data).toEqual({ error: 'training.attendanceImport.error.missingColumns', params: { columns: '姓名' } })
    const outsider = await upload(path, world.users.cyStaff.cookie, `工作证号,姓名\r\n${cards.cy},x\r\n`, 'a.csv', 'all')
    expect(outsider.status).toBe(404)
    const mediator = await upload(path, world.users.mediator.cookie, `工作证号,姓名\r\n${cards.cy},x\r\n`, 'a.csv', 'all')
    expect(mediator.status).toBe(403)
    expect(await attendees()).toHaveLength(2)
  })

  it('imports 2,000 rows (the limit) in one request', async () => {
    const rows = await addMediators(ATTENDANCE_LIMITS.maxRows, 'V')
    const file = await xlsxOf(rows)
    const started = performance.now()
    const done = await upload(`/training/sessions/${sessionId}/import`, world.users.hdStaff.cookie, file, 'big.xlsx', 'all')
    const ms = Math.round(performance.now() - started)
    console.info(`attendance import, 2,000 rows (${testDialect()}): ${ms} ms`)
    expect(done.status).toBe(302)
    expect(await attendees()).toHaveLength(2002)
    expect(ms).toBeLessThan(15_000)
  }, 180_000)
})

describe(`attendance import in chunks: cancel, yield, double submit (${testDialect()})`, () => {
  const ROWS = 450 // three chunks of at most 200 rows, checking and writing
  const rows: string[][] = []
  let file: Uint8Array

  /** A new session of Haidian, so these tests count only their own attendees. */
  async function newSession(): Promise<string> {
    const created = await call(newRoute.action, '/training/sessions/new', {
      cookie: world.users.hdManager.cookie,
      form: { ...SESSION_FORM, title: `分块导入测试${Math.random().toString(36).slice(2, 7)}` },
    })
    return created.location!.split('/').at(-1)!
  }

  /** importAttendance as the route calls it, as Haidian's bureau staff, with the test's options. */
  async function runImport(id: string, mode: 'all' | 'valid', options: Parameters<typeof importAttendance>[6]) {
    const request = makeRequest(`/training/sessions/${id}/import`, { cookie: world.users.hdStaff.cookie })
    const user = await requirePermission(request, 'training:manage')
    const session = (await getSession(testDb(), id))!
    return importAttendance(testDb(), request, user, session, { bytes: file, name: 'big.xlsx' }, mode, options)
  }

  async function audited(id: string, action: string) {
    const logged = await testDb()
      .selectFrom('audit_log')
      .select(['result', 'detail'])
      .where('action', '=', action)
      .where('record_id', '=', id)
      .execute()
    return logged.map((l) => ({ result: l.result, detail: JSON.parse(l.detail!) }))
  }

  beforeAll(async () => {
    rows.push(...(await addMediators(ROWS, 'W')))
    file = await xlsxOf(rows)
  }, 60_000)

  it('cancelled while writing: rolls every chunk back and audits the counts', async () => {
    const id = await newSession()
    const controller = new AbortController()
    const seen: ImportProgress[] = []
    const outcome = await runImport(id, 'all', {
      signal: controller.signal,
      onChunk: (progress) => {
        seen.push(progress)
        if (progress.stage === 'write') controller.abort()
      },
    })
    expect(outcome).toEqual({ ok: false, error: 'cancelled' })
    expect(seen).toEqual([
      { stage: 'check', done: 200, total: ROWS },
      { stage: 'check', done: 400, total: ROWS },
      { stage: 'check', done: ROWS, total: ROWS },
      { stage: 'write', done: 200, total: ROWS },
    ])
    expect(await attendees(id)).toEqual([])
    expect(await audited(id, 'training.attendance_import_cancelled')).toEqual([
      { result: 'failed', detail: { mode: 'all', rows: ROWS, checked: ROWS, rolledBack: 200 } },
    ])
    expect(await audited(id, 'training.attendance_imported')).toEqual([])
  })

  it('cancelled while checking: stops after that chunk and writes nothing', async () => {
    const id = await newSession()
    const controller = new AbortController()
    let chunks = 0
    const outcome = await runImport(id, 'valid', {
      signal: controller.signal,
      onChunk: () => {
        chunks++
        controller.abort()
      },
    })
    expect(outcome).toEqual({ ok: false, error: 'cancelled' })
    expect(chunks).toBe(1)
    expect(await attendees(id)).toEqual([])
    expect(await audited(id, 'training.attendance_import_cancelled')).toEqual([
      { result: 'failed', detail: { mode: 'valid', rows: ROWS, checked: 200, rolledBack: 0 } },
    ])
  })

  it('answers a request that has gone away with 499, like the batch page', async () => {
    const id = await newSession()
    const form = new FormData()
    form.append('file', new File([new Uint8Array(file)], 'big.xlsx'))
    const sent = makeRequest(`/training/sessions/${id}/import`, { cookie: world.users.hdStaff.cookie, form })
    const controller = new AbortController()
    controller.abort()
    const request = new Request(sent, { signal: controller.signal })
    const thrown = await importRoute.action({ request, params: { sessionId: id }, context: {} }).catch((error: unknown) => error)
    expect(thrown).toBeInstanceOf(Response)
    expect((thrown as Response).status).toBe(499)
    expect(await attendees(id)).toEqual([])
    expect(await audited(id, 'training.attendance_import_cancelled')).toEqual([
      { result: 'failed', detail: { mode: 'all', rows: ROWS, checked: 0, rolledBack: 0 } },
    ])
  })

  it('lets other work run between chunks', async () => {
    const id = await newSession()
    const ranBetween: boolean[] = []
    let ran = true
    await runImport(id, 'all', {
      onChunk: () => {
        ranBetween.push(ran)
        ran = false
        setImmediate(() => {
          ran = true
        })
      },
    })
    // Six chunks (three checked, three written); before each of the last five, the callback queued
    // by the one before had run: the import had yielded to the event loop in between.
    expect(ranBetween).toEqual([true, true, true, true, true, true])
    expect(await attendees(id)).toHaveLength(ROWS)
  })

  it('never records anyone twice: a record written after the check, and a double submit', async () => {
    const id = await newSession()
    const session = (await getSession(testDb(), id))!
    const [first] = await testDb().selectFrom('mediators').select('person_id').where('card_number', '=', rows[0]![0]!).execute()
    // Another request records the first row's mediator between the check and the writes.
    const outcome = await runImport(id, 'all', {
      onChunk: async (progress) => {
        if (progress.stage === 'check' && progress.done === ROWS) {
          expect(await recordAttendance(testDb(), session, first!.person_id, null, world.users.hdStaff.id)).toBe(true)
        }
      },
    })
    expect(outcome).toMatchObject({ ok: true, imported: ROWS - 1, rows: ROWS, bad: [] })
    expect(await attendees(id)).toHaveLength(ROWS)

    // The same file twice at once: between them, each person is recorded once.
    const again = await newSession()
    const path = `/training/sessions/${again}/import`
    const both = await Promise.all(
      [1, 2].map(() => {
        const form = new FormData()
        form.append('file', new File([new Uint8Array(file)], 'big.xlsx'))
        return call(importRoute.action, path, { cookie: world.users.hdStaff.cookie, form, params: { sessionId: again } })
      }),
    )
    // Each either imports (302) or, when the other committed before its check, reports the rows
    // already recorded (400); either way nobody is recorded twice.
    for (const answer of both) expect([302, 400]).toContain(answer.status)
    const records = await attendees(again)
    expect(records).toHaveLength(ROWS)
    expect(records.every((r) => r.hours_tenths === 80)).toBe(true)
    const imported = (await audited(again, 'training.attendance_imported')).map((a) => a.detail.imported as number)
    expect(imported.reduce((a, b) => a + b, 0)).toBe(ROWS)
  }, 60_000)
})
