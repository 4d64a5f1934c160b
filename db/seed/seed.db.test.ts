import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { decrypt } from '#app/lib/crypto.server.ts'
import { idNumberProblem, isValidPhone, maskIdNumber, maskPhone } from '#app/lib/personal-numbers.ts'
import { verifyPassword } from '#app/modules/auth/password.server.ts'
import { ROLES } from '#app/modules/auth/policy.ts'
import { createDatabase } from '#db/connect.ts'
import type { Database } from '#db/schema.ts'
import { testDb } from '#tests/fixtures/db.ts'
import { TEST_TMP_DIR } from '#tests/fixtures/test-env.ts'
import { DEMO_PASSWORD, DEMO_SEED, DEMO_SETTING_KEY, DEMO_TODAY, DemoRefusedInProduction, generateDemo, seedDemo } from './demo.ts'
import { createMediator, createUser } from './factories.ts'
import { seedReferenceData } from './reference.ts'

const TABLES = ['regions', 'dispute_types', 'organisations', 'people', 'mediators', 'users', 'role_grants', 'settings'] as const
type Table = (typeof TABLES)[number]

async function counts(): Promise<Record<Table, number>> {
  const db = testDb()
  const result = {} as Record<Table, number>
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    result[table] = Number(row.n)
  }
  return result
}

/** Every row of the seeded tables, in a stable order, to show a second run changes nothing. */
async function snapshot(): Promise<string> {
  const db = testDb()
  const keys: Record<Table, string> = {
    regions: 'code',
    dispute_types: 'code',
    organisations: 'id',
    people: 'id',
    mediators: 'person_id',
    users: 'id',
    role_grants: 'id',
    settings: 'key',
  }
  const parts: unknown[] = []
  for (const table of TABLES)
    parts.push(
      await db
        .selectFrom(table)
        .selectAll()
        .orderBy(keys[table] as never)
        .execute(),
    )
  return JSON.stringify(parts)
}

const demo = generateDemo()

beforeAll(async () => {
  await seedReferenceData(testDb())
  await seedDemo(testDb())
})

describe('seeding', () => {
  it('writes the whole demo data set', async () => {
    const n = await counts()
    expect(n.organisations).toBe(demo.organisations.length)
    expect(n.people).toBe(demo.people.length)
    expect(n.mediators).toBe(demo.mediators.length)
    expect(n.users).toBe(demo.accounts.length)
    expect(n.regions).toBeGreaterThan(60)
    expect(n.dispute_types).toBe(21)
  })

  it('changes nothing when run again', async () => {
    const before = await snapshot()
    const reference = await seedReferenceData(testDb())
    expect(reference).toEqual({ regionsInserted: 0, regionsUpdated: 0, disputeTypesInserted: 0 })
    expect((await seedDemo(testDb())).skipped).toBe(true)
    expect(await snapshot()).toBe(before)
  })

  it('inserts nothing twice even without its marker', async () => {
    const before = await counts()
    await testDb().deleteFrom('settings').where('key', '=', DEMO_SETTING_KEY).execute()
    const again = await seedDemo(testDb())
    expect(again.skipped).toBe(false)
    expect(again.inserted).toEqual({ organisations: 0, people: 0, mediators: 0, users: 0, roleGrants: 0 })
    expect(again.conflicts).toEqual([])
    expect(await counts()).toEqual(before)
  })

  it('gives the demo reviewer its region (Beijing), also in a version-1 database that stored none', async () => {
    const reviewerGrant = () =>
      testDb()
        .selectFrom('role_grants')
        .innerJoin('users', 'users.id', 'role_grants.user_id')
        .select(['role_grants.region_code'])
        .where('users.username', '=', 'reviewer')
        .where('role_grants.role', '=', 'reviewer')
        .execute()
    expect(await reviewerGrant()).toEqual([{ region_code: '110000' }])
    // A demo database seeded before reviewer grants were scoped: no region, marker at version 1.
    await testDb()
      .updateTable('role_grants')
      .set({ region_code: null })
      .where('role', '=', 'reviewer')
      .where('user_id', '=', demo.accounts.find((a) => a.username === 'reviewer')!.id)
      .execute()
    await testDb()
      .updateTable('settings')
      .set({ value: JSON.stringify({ version: 1, seed: DEMO_SEED }) })
      .where('key', '=', DEMO_SETTING_KEY)
      .execute()
    const again = await seedDemo(testDb())
    expect(again.skipped).toBe(false)
    expect(again.inserted).toEqual({ organisations: 0, people: 0, mediators: 0, users: 0, roleGrants: 0 })
    expect(await reviewerGrant()).toEqual([{ region_code: '110000' }])
    expect((await seedDemo(testDb())).skipped).toBe(true)
  })

  it('repairs a region whose stored name or path has drifted', async () => {
    await testDb().updateTable('regions').set({ name: '旧名', path: '/x/' }).where('code', '=', '110108011').execute()
    expect((await seedReferenceData(testDb())).regionsUpdated).toBe(1)
    const row = await testDb().selectFrom('regions').selectAll().where('code', '=', '110108011').executeTakeFirstOrThrow()
    expect(row).toMatchObject({ name: '中关村街道', path: '/110000/110108/110108011/' })
  })
})

describe('personal numbers', () => {
  it('stores valid ID numbers and phones, sealed and masked', async () => {
    const people = await testDb().selectFrom('people').selectAll().execute()
    expect(people.length).toBeGreaterThan(0)
    for (const person of people) {
      const idNumber = decrypt(person.id_number_enc!)
      expect(idNumberProblem(idNumber, DEMO_TODAY), person.name).toBeNull()
      expect(person.id_number_masked).toBe(maskIdNumber(idNumber))
      expect(person.id_number_hash).toMatch(/^[0-9a-f]{64}$/)
      const phone = decrypt(person.phone_enc!)
      expect(isValidPhone(phone)).toBe(true)
      expect(person.phone_masked).toBe(maskPhone(phone))
    }
  })

  it('keeps no plain ID or phone number anywhere in the people table', async () => {
    const dump = JSON.stringify(await testDb().selectFrom('people').selectAll().execute())
    for (const person of demo.people) {
      expect(dump.includes(person.idNumber), person.name).toBe(false)
      expect(dump.includes(person.phone), person.name).toBe(false)
    }
  })
})

describe('accounts', () => {
  it('has an active account with the demo password for every role', async () => {
    const grants = await testDb()
      .selectFrom('role_grants')
      .innerJoin('users', 'users.id', 'role_grants.user_id')
      .select(['role_grants.role', 'users.username', 'users.password_hash', 'users.status'])
      .execute()
    for (const role of ROLES) {
      const holder = grants.find((g) => g.role === role)
      expect(holder, role).toBeDefined()
      expect(holder!.status).toBe('active')
    }
    const admin = grants.find((g) => g.username === 'admin')!
    expect(admin.password_hash).toMatch(/^\$argon2id\$/)
    expect(await verifyPassword(admin.password_hash!, DEMO_PASSWORD)).toBe(true)
  })

  it('links the mediator and expert accounts to their people', async () => {
    const rows = await testDb()
      .selectFrom('users')
      .innerJoin('people', 'people.id', 'users.person_id')
      .leftJoin('mediators', 'mediators.person_id', 'people.id')
      .select(['users.username', 'users.display_name', 'people.name', 'people.region_code', 'mediators.org_id'])
      .where('users.username', 'in', ['mediator', 'expert', 'org.manager'])
      .execute()
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(row.display_name).toBe(row.name)
    expect(rows.find((r) => r.username === 'mediator')?.org_id).toBeTruthy()
    expect(rows.find((r) => r.username === 'expert')?.org_id ?? null).toBeNull()
  })
})

describe('production', () => {
  it('refuses to create demo accounts', async () => {
    const before = await counts()
    const saved = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      await expect(seedDemo(testDb())).rejects.toBeInstanceOf(DemoRefusedInProduction)
    } finally {
      process.env.NODE_ENV = saved
    }
    expect((await counts()).users).toBe(before.users)
  })

  it('runs `npm run db:seed` as reference data only', async () => {
    const dir = fs.mkdtempSync(path.join(path.resolve(TEST_TMP_DIR), 'seed-production-'))
    const file = path.join(dir, 'production.sqlite')
    try {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'db/seed/run.ts'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: `file:${file}` },
        timeout: 60_000,
      })
      expect(result.status, result.stderr).toBe(0)
      expect(result.stdout).toContain('reference data only')
      expect(result.stdout).not.toContain(DEMO_PASSWORD)
      const db = createDatabase(`file:${file}`)
      try {
        const count = async (table: keyof Database) =>
          Number(
            (
              await db
                .selectFrom(table)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          )
        expect(await count('regions')).toBeGreaterThan(60)
        expect(await count('users')).toBe(0)
        expect(await count('people')).toBe(0)
      } finally {
        await db.destroy()
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('factories', () => {
  it('create a mediator with a committee and a sealed person', async () => {
    const { mediator, person } = await createMediator(testDb())
    expect(person?.idNumber && idNumberProblem(person.idNumber)).toBeNull()
    const row = await testDb().selectFrom('people').selectAll().where('id', '=', mediator.person_id).executeTakeFirstOrThrow()
    expect(row.id_number_hash).toBe(person!.id_number_hash)
    expect(JSON.stringify(row).includes(person!.idNumber!)).toBe(false)
    expect(mediator.card_number).toMatch(/^京调证 /)
  })

  it('create a user with scoped grants and a working password', async () => {
    const { user, grants } = await createUser(testDb(), {
      username: 'Factory.User',
      password: 'a long enough password',
      roles: [{ role: 'bureau_staff', regionCode: '110105' }],
    })
    expect(user.username).toBe('factory.user')
    expect(grants).toMatchObject([{ role: 'bureau_staff', region_code: '110105', org_id: null }])
    const stored = await testDb().selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(await verifyPassword(stored.password_hash!, 'a long enough password')).toBe(true)
    await expect(createUser(testDb(), { username: 'nobody', roles: [{ role: 'org_manager' }] })).rejects.toThrow(/organisation/)
  })
})
