/**
 * Personal numbers at rest (security checklist 26, 27) on the demo data set (people, experts,
 * difficult cases with their parties), on both databases: every text column of every table is
 * read back and scanned for full ID and mobile numbers; on SQLite the database file and its WAL
 * are scanned byte by byte as well. The numbers looked for are the demo's own, decrypted by the
 * test, plus anything that is a well-formed ID number.
 */
import fs from 'node:fs'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { decrypt } from '#app/lib/crypto.server.ts'
import { mulberry32, DEMO_SEED } from '#db/seed/demo.ts'
import { seedCases } from '#db/seed/cases.ts'
import { seedExpertPool } from '#db/seed/expert-pool.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { seedDemo, seedReferenceData } from '#tests/fixtures/factories.ts'
import { findPersonalNumbers, findPersonalNumbersInBytes } from './leaks.ts'

const known = new Set<string>()

async function textColumns(): Promise<{ table: string; column: string }[]> {
  const db = testDb()
  if (testDialect() === 'mysql') {
    const { rows } = await sql<{ table: string; column: string }>`
      select table_name as \`table\`, column_name as \`column\` from information_schema.columns
      where table_schema = database() and data_type in ('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'json')`.execute(
      db,
    )
    return rows
  }
  const { rows: tables } = await sql<{
    name: string
  }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
  const columns: { table: string; column: string }[] = []
  for (const { name } of tables) {
    const { rows } = await sql<{ name: string; type: string }>`select name, type from pragma_table_info(${name})`.execute(db)
    for (const c of rows) if (!/int|real|num/i.test(c.type)) columns.push({ table: name, column: c.name })
  }
  return columns
}

/** Every text value of every table, scanned; one line per number found. */
async function scanTextColumns(): Promise<string[]> {
  const columns = await textColumns()
  expect(columns.length).toBeGreaterThan(100)
  const byTable = new Map<string, string[]>()
  for (const { table, column } of columns) byTable.set(table, [...(byTable.get(table) ?? []), column])
  const leaks: string[] = []
  for (const [table, names] of byTable) {
    const rows = await testDb()
      .selectFrom(table as never)
      .select(names.map((n) => sql.ref(n).as(n)) as never)
      .execute()
    for (const row of rows as Record<string, unknown>[]) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value !== 'string') continue
        for (const leak of findPersonalNumbers(value, known))
          leaks.push(`${table}.${column}: ${leak.kind} ${leak.value} in …${leak.context}…`)
      }
    }
  }
  return leaks
}

beforeAll(async () => {
  const db = testDb()
  await seedReferenceData(db)
  await seedDemo(db)
  await seedExpertPool(db, mulberry32(DEMO_SEED))
  await seedCases(db)
  const sealed = [
    ...(await db.selectFrom('people').select(['id_number_enc as a', 'phone_enc as b']).execute()).flatMap((r) => [r.a, r.b]),
    ...(await db.selectFrom('case_parties').select('id_number_enc as a').execute()).map((r) => r.a),
  ]
  for (const value of sealed) if (value) known.add(decrypt(value).toUpperCase())
}, 120_000)

describe(`personal numbers at rest (${testDialect()})`, () => {
  it('the demo data holds ID numbers of people and of case parties, and phone numbers', async () => {
    expect([...known].filter((n) => n.length === 18).length).toBeGreaterThan(300)
    expect([...known].filter((n) => n.length === 11).length).toBeGreaterThan(100)
    expect(
      Number(
        (
          await testDb()
            .selectFrom('case_parties')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('id_number_enc', 'is not', null)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBeGreaterThan(0)
  })

  // Before the test below plants a number, whose old page could linger in the WAL.
  it.runIf(testDialect() === 'sqlite')('appear nowhere in the SQLite file or its WAL', async () => {
    const file = (process.env.DATABASE_URL ?? '').replace(/^file:/, '')
    expect(fs.existsSync(file)).toBe(true)
    for (const path of [file, `${file}-wal`]) {
      if (!fs.existsSync(path)) continue
      const leaks = findPersonalNumbersInBytes(fs.readFileSync(path), known).filter((l) => known.has(l.value))
      expect(leaks.map((l) => `${path}: ${l.value}`)).toEqual([])
    }
  })

  it('appear in no text column of any table (and the scan does find one planted there)', async () => {
    const org = await testDb().selectFrom('organisations').select(['id', 'address']).executeTakeFirstOrThrow()
    const planted = [...known].find((n) => n.length === 18)!
    await testDb()
      .updateTable('organisations')
      .set({ address: `测试地址 ${planted}` })
      .where('id', '=', org.id)
      .execute()
    try {
      expect(await scanTextColumns()).toEqual([expect.stringContaining(`organisations.address: id ${planted}`)])
    } finally {
      await testDb().updateTable('organisations').set({ address: org.address }).where('id', '=', org.id).execute()
    }
    expect(await scanTextColumns()).toEqual([])
  })
})
