/**
 * The scale data generator (db/gen-data.ts, db/seed/scale.ts) at its `tiny` scale, on the
 * dialect of this run: the counts it promises, sealed personal numbers that open with the app's
 * key and match their masks and lookup hashes, consistent case slots and expert loads, the grade
 * pyramid, working load-test accounts, and the command line's refusal of a non-empty database.
 */
import { spawnSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { decrypt, lookupHash } from '#app/lib/crypto.server.ts'
import { isValidIdNumber, isValidPhone, maskIdNumber, maskPhone } from '#app/lib/personal-numbers.ts'
import { verifyPassword } from '#app/modules/auth/password.server.ts'
import type { Database } from '#db/schema.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type GenerateSummary, LOAD_PASSWORD, SCALES, generateScaleData, hasData } from './scale.ts'

const count = async (table: keyof Database) =>
  Number(
    (
      await testDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

let summary: GenerateSummary
const phases: string[] = []

beforeAll(async () => {
  expect(await hasData(testDb())).toBe(false)
  summary = await generateScaleData(testDb(), {
    scale: 'tiny',
    progress: (phase) => {
      if (!phases.includes(phase)) phases.push(phase)
    },
  })
}, 180_000)

describe(`scale data generator, tiny (${testDialect()})`, () => {
  it('writes the promised counts and reports them', async () => {
    const tiny = SCALES.tiny
    expect(await count('organisations')).toBe(tiny.organisations)
    expect(await count('mediators')).toBe(tiny.mediators)
    expect(await count('experts')).toBe(tiny.experts)
    expect(await count('people')).toBe(tiny.mediators + tiny.experts)
    expect(await count('cases')).toBe(tiny.cases)
    expect(await count('case_parties')).toBe(tiny.cases * 2)
    expect(await count('training_records')).toBe(tiny.trainingRecords)
    expect(await count('library_submissions')).toBe(tiny.librarySubmissions)
    expect(await count('drill_attempts')).toBeGreaterThan(tiny.drillAttempts * 0.9)
    expect(await count('grading_rounds')).toBeGreaterThan(0)
    for (const table of ['people', 'training_records', 'cases', 'mediator_grades'] as const)
      expect(summary.counts[table]).toBe(await count(table))
    expect(phases).toEqual(['organisations', 'mediators', 'experts', 'cases', 'training records', 'drill attempts', 'library', 'grades'])
    expect(await hasData(testDb())).toBe(true)
  })

  it('seals personal numbers the way the app does: they decrypt, and match their masks and hashes', async () => {
    const people = await testDb()
      .selectFrom('people')
      .select(['id_number_enc', 'id_number_hash', 'id_number_masked', 'phone_enc', 'phone_hash', 'phone_masked', 'birth_date'])
      .orderBy('id')
      .limit(25)
      .execute()
    expect(people).toHaveLength(25)
    for (const person of people) {
      const idNumber = decrypt(person.id_number_enc!)
      expect(isValidIdNumber(idNumber)).toBe(true)
      expect(maskIdNumber(idNumber)).toBe(person.id_number_masked)
      expect(lookupHash('id', idNumber)).toBe(person.id_number_hash)
      expect(idNumber.slice(6, 14)).toBe(person.birth_date!.replaceAll('-', ''))
      const phone = decrypt(person.phone_enc!)
      expect(isValidPhone(phone)).toBe(true)
      expect(maskPhone(phone)).toBe(person.phone_masked)
      expect(lookupHash('phone', phone)).toBe(person.phone_hash)
    }
  })

  it('keeps case slots and expert loads consistent with the consultations', async () => {
    const db = testDb()
    const slots = await db
      .selectFrom('cases as c')
      .leftJoin('case_consultations as k', 'k.case_id', 'c.id')
      .select(['c.id', 'c.experts_assigned', (eb) => eb.fn.count('k.id').as('n')])
      .groupBy(['c.id', 'c.experts_assigned'])
      .execute()
    expect(slots.every((row) => Number(row.n) === row.experts_assigned)).toBe(true)
    const loads = await db.selectFrom('expert_loads').selectAll().execute()
    const completed = await db.selectFrom('case_consultations').select('expert_id').where('status', 'in', ['submitted', 'rated']).execute()
    expect(loads.reduce((s, l) => s + l.completed_count, 0)).toBe(completed.length)
  })

  it('grades follow the pyramid: most ungraded or 四级, few 一级', async () => {
    const grades = await testDb().selectFrom('mediator_grades').select('grade_code').where('status', '=', 'current').execute()
    const share = (code: string) => grades.filter((g) => g.grade_code === code).length / SCALES.tiny.mediators
    expect(share('4')).toBeGreaterThan(0.5)
    expect(share('4')).toBeLessThan(0.72)
    expect(share('3')).toBeLessThan(0.12)
    expect(share('1')).toBeLessThan(share('4') / 20)
  })

  it('gives the load-test accounts the known password and their scopes', async () => {
    const db = testDb()
    const staff = summary.accounts.find((a) => a.role === 'bureau_staff' && a.area !== '110000')!
    const user = await db
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('username', '=', staff.username)
      .executeTakeFirstOrThrow()
    expect(await verifyPassword(user.password_hash!, LOAD_PASSWORD)).toBe(true)
    const grant = await db
      .selectFrom('role_grants')
      .select(['role', 'region_code'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow()
    expect(grant).toEqual({ role: 'bureau_staff', region_code: staff.area })
    const mediator = summary.accounts.find((a) => a.role === 'mediator')!
    const person = await db
      .selectFrom('users as u')
      .innerJoin('mediators as m', 'm.person_id', 'u.person_id')
      .select('m.org_id')
      .where('u.username', '=', mediator.username)
      .executeTakeFirst()
    expect(person?.org_id).toBeTruthy()
  })

  it('the command line refuses a database that already holds data', () => {
    const run = spawnSync('npx', ['tsx', 'db/gen-data.ts', '--scale', 'tiny'], { encoding: 'utf8', env: process.env })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('--force')
  }, 60_000)
})
