/**
 * Completed drills in the training archive (issue 6, "results as evidence"): listed once per drill,
 * credited hours only for passed drills, added to the year's hours exactly once however many
 * attempts there were, on the page and in the .xlsx export.
 */
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import * as archiveRoute from '#app/routes/_app.training.archive.$personId.tsx'
import * as exportRoute from '#app/routes/_app.training.archive.$personId[.xlsx].tsx'
import { createTrainingRecord } from '#tests/fixtures/factories.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { buildWorld, call, type World } from '#tests/security/world.ts'

let world: World
const YEAR = 2025

async function gradedAttempt(personId: string, userId: string, slug: string, no: number, score: number, passed: boolean, gradedAt: string) {
  await testDb()
    .insertInto('drill_attempts')
    .values({
      id: newId(),
      drill_slug: slug,
      kind: slug.startsWith('drafting') ? 'drafting' : 'quiz',
      person_id: personId,
      user_id: userId,
      event_id: null,
      org_id: null,
      region_code: null,
      attempt_no: no,
      status: 'graded',
      revision: 0,
      seed: 'seed',
      items: null,
      answers: '{}',
      result: null,
      score,
      passed: passed ? 1 : 0,
      started_at: gradedAt,
      last_seen_at: gradedAt,
      deadline_at: null,
      submitted_at: gradedAt,
      graded_at: gradedAt,
      time_spent_seconds: 60,
      version: 1,
    })
    .execute()
}

async function addRecord(personId: string, tenths: number, year: number) {
  await createTrainingRecord(testDb(), {
    person_id: personId,
    hours_tenths: tenths,
    year,
    title: '线下培训',
    completed_on: `${year}-03-01`,
  })
}

beforeAll(async () => {
  world = await buildWorld(testDb())
  const person = world.people.hdMediator.id
  const user = world.users.mediator.id
  await addRecord(person, 20, YEAR)
  // Passed on the second of three attempts (0.5 h): credited once.
  await gradedAttempt(person, user, 'quiz-renmin-tiaojie-fa', 1, 40, false, `${YEAR}-05-01T02:00:00.000Z`)
  await gradedAttempt(person, user, 'quiz-renmin-tiaojie-fa', 2, 90, true, `${YEAR}-05-02T02:00:00.000Z`)
  await gradedAttempt(person, user, 'quiz-renmin-tiaojie-fa', 3, 100, true, `${YEAR}-05-03T02:00:00.000Z`)
  // Passed drafting task (1 h), graded late on 31 December UTC = 1 January in China: next year.
  await gradedAttempt(person, user, 'drafting-xieyi-shanyang', 1, 80, true, `${YEAR}-12-31T18:00:00.000Z`)
  // Graded but not passed: listed, no hours.
  await gradedAttempt(person, user, 'quiz-hunyin-jiating', 1, 30, false, `${YEAR}-06-01T02:00:00.000Z`)
})

describe(`completed drills in the training archive (${testDialect()})`, () => {
  it('lists each completed drill once and adds credited hours to the year once', async () => {
    const outcome = await call(archiveRoute.loader, '/x', {
      params: { personId: world.people.hdMediator.id },
      cookie: world.users.hdStaff.cookie,
    })
    expect(outcome.status).toBe(200)
    const data = outcome.data as {
      drills: { slug: string; title: string; creditHours: number; passed: boolean; year: number; best: number }[]
      years: { year: number; hours: number }[]
    }
    expect(data.drills.map((d) => d.slug).sort()).toEqual(['drafting-xieyi-shanyang', 'quiz-hunyin-jiating', 'quiz-renmin-tiaojie-fa'])
    expect(data.drills.find((d) => d.slug === 'quiz-renmin-tiaojie-fa')).toMatchObject({
      title: '人民调解法基础知识测试',
      creditHours: 0.5,
      passed: true,
      best: 100,
      year: YEAR,
    })
    expect(data.drills.find((d) => d.slug === 'quiz-hunyin-jiating')).toMatchObject({ creditHours: 0, passed: false })
    expect(data.drills.find((d) => d.slug === 'drafting-xieyi-shanyang')).toMatchObject({ creditHours: 1, year: YEAR + 1 })
    // 2 h of records + 0.5 h (one drill, three attempts) in YEAR; 1 h in the next year.
    expect(data.years).toEqual([
      { year: YEAR + 1, hours: 1 },
      { year: YEAR, hours: 2.5 },
    ])
    // Drills write no training records: the archive's records are untouched.
    const records = await testDb().selectFrom('training_records').select('id').where('person_id', '=', world.people.hdMediator.id).execute()
    expect(records).toHaveLength(1)
  })

  it('exports the same yearly hours', async () => {
    const response = (await exportRoute.loader({
      request: new Request('http://localhost:3000/x', { headers: { cookie: world.users.hdStaff.cookie } }),
      params: { personId: world.people.hdMediator.id },
      context: {},
    })) as Response
    expect(response.status).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await response.arrayBuffer())
    const values = book.worksheets[0]!.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1) : []))
    expect(values).toContainEqual([YEAR + 1, 1])
    expect(values).toContainEqual([YEAR, 2.5])
    // Each drill listed once, with its credited hours.
    const drillRows = values.filter((r) => r[0] === '人民调解法基础知识测试')
    expect(drillRows).toHaveLength(1)
    expect(drillRows[0]!.slice(1, 3)).toEqual([`${YEAR}-05-03`, 0.5])
  })

  it('shows no drills for someone who has done none', async () => {
    const outcome = await call(archiveRoute.loader, '/x', {
      params: { personId: world.people.hdMediator2.id },
      cookie: world.users.hdStaff.cookie,
    })
    expect((outcome.data as { drills: unknown[] }).drills).toEqual([])
  })
})
