/**
 * Migrations keep data, and every `down` undoes its `up` (security checklist 35,
 * docs/decisions/025-expand-migrate-contract.md), on the dialect of this run:
 *
 * - on this file's fresh database, every migration is rolled back one by one down to zero, the
 *   schema (tables, columns, indexes, triggers) recorded after each step, and then applied again
 *   one by one, each `up` rebuilding exactly the schema its `down` removed (on MySQL, indexes
 *   InnoDB manages for foreign keys are left out of the comparison);
 * - then, on the same database filled with the generator's data, the newest migrations whose `down`
 *   would not drop a table or column holding data are walked down and up again, and every table's
 *   row count and SHA-256 must be what it was.
 */
import { type Kysely, Migrator, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { appliedMigrations, countRows, databaseDigests } from '#db/backup/tables.ts'
import { isMysql } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { migrations } from '#db/migrations/index.ts'
import { generateScaleData } from '#db/seed/scale.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'

const NAMES = Object.keys(migrations).sort()
const MYSQL_COMPARED_STEPS = 16
const migratorFor = (db: Kysely<any>) => new Migrator({ db, provider: { getMigrations: async () => migrations } })

let mysqlForeignKeys: Set<string> | undefined

/** `table.column` of the first column of every foreign key (read once, at the newest level). */
async function foreignKeyColumns(db: Kysely<any>): Promise<Set<string>> {
  const { rows } = await sql<{ t: string; c: string }>`
    select TABLE_NAME as t, COLUMN_NAME as c from information_schema.KEY_COLUMN_USAGE
    where TABLE_SCHEMA = database() and REFERENCED_TABLE_NAME is not null and ORDINAL_POSITION = 1`.execute(db)
  return new Set(rows.map((r) => `${r.t}.${r.c}`))
}

/** The schema as sorted lines: tables, columns, indexes and triggers (Kysely's own tables left out). */
async function schemaOf(db: Kysely<any>): Promise<string[]> {
  const lines: string[] = []
  if (!isMysql(db)) {
    for (const table of await db.introspection.getTables()) {
      lines.push(`table ${table.name}`)
      for (const c of table.columns)
        lines.push(`column ${table.name}.${c.name} ${c.dataType}${c.isNullable ? '' : ' not null'}${c.hasDefaultValue ? ' default' : ''}`)
    }
    const objects = await sql<{ type: string; name: string; sql: string | null }>`
      select type, name, sql from sqlite_master where type in ('index', 'trigger') and tbl_name not like 'kysely%'`.execute(db)
    for (const r of objects.rows) lines.push(`${r.type} ${r.name} ${r.sql ?? '(automatic)'}`)
    return lines.sort()
  }
  const columns = await sql<{ t: string; c: string; type: string; nullable: string; d: string | null }>`
    select TABLE_NAME as t, COLUMN_NAME as c, COLUMN_TYPE as type, IS_NULLABLE as nullable, COLUMN_DEFAULT as d
    from information_schema.COLUMNS where TABLE_SCHEMA = database() and TABLE_NAME not like 'kysely%'`.execute(db)
  for (const r of columns.rows) {
    lines.push(`table ${r.t}`)
    lines.push(`column ${r.t}.${r.c} ${r.type}${r.nullable === 'NO' ? ' not null' : ''}${r.d === null ? '' : ' default'}`)
  }
  const indexes = await sql<{ t: string; i: string; c: string; u: number }>`
    select TABLE_NAME as t, INDEX_NAME as i, group_concat(COLUMN_NAME order by SEQ_IN_INDEX) as c, min(NON_UNIQUE) as u
    from information_schema.STATISTICS where TABLE_SCHEMA = database() and TABLE_NAME not like 'kysely%'
    group by TABLE_NAME, INDEX_NAME`.execute(db)
  // InnoDB keeps an index on every foreign key and silently swaps its implicit one for any later
  // index that leads with the same column, so those (non-unique) indexes are not compared.
  mysqlForeignKeys ??= await foreignKeyColumns(db)
  const leading = mysqlForeignKeys
  for (const r of indexes.rows) {
    const unique = !Number(r.u)
    if (!unique && leading.has(`${r.t}.${r.c.split(',')[0]}`)) continue
    lines.push(`index ${r.t}.${r.i}(${r.c})${unique ? ' unique' : ''}`)
  }
  const triggers = await sql<{
    n: string
  }>`select TRIGGER_NAME as n from information_schema.TRIGGERS where TRIGGER_SCHEMA = database()`.execute(db)
  for (const r of triggers.rows) lines.push(`trigger ${r.n}`)
  return [...new Set(lines)].sort()
}

/** schemas[i]: the schema with the first i migrations applied, recorded on the way down. */
const schemas: string[][] = []

describe(`migrations (${testDialect()})`, () => {
  it('every down runs, and each up then rebuilds exactly the schema its down removed, from zero to the newest', async () => {
    const db = testDb() as Kysely<any>
    const migrator = migratorFor(db)
    expect(await appliedMigrations(db)).toEqual(NAMES)
    // information_schema is slow on a busy MariaDB server: there the schema is compared at every
    // step of the newest migrations (those a rollback would undo) and at both ends of the walk.
    const compared = testDialect() === 'mysql' ? NAMES.length - MYSQL_COMPARED_STEPS : 0
    schemas[NAMES.length] = await schemaOf(db)
    for (let level = NAMES.length; level > 0; level--) {
      const step = await migrator.migrateDown()
      expect(step.error ? `${NAMES[level - 1]} down failed: ${String(step.error)}` : step.results?.[0]?.migrationName).toBe(
        NAMES[level - 1],
      )
      if (level - 1 >= compared || level === 1) schemas[level - 1] = await schemaOf(db)
    }
    expect(schemas[0]).toEqual([])
    expect(await appliedMigrations(db)).toEqual([])
    for (let level = 1; level <= NAMES.length; level++) {
      const step = await migrator.migrateUp()
      expect(step.error ? `${NAMES[level - 1]} up failed: ${String(step.error)}` : step.results?.[0]?.migrationName).toBe(NAMES[level - 1])
      if (schemas[level]) expect(await schemaOf(db), `schema after ${NAMES[level - 1]} up`).toEqual(schemas[level])
    }
  }, 240_000)

  it('walking the newest migrations down and up keeps every row of a filled database', async () => {
    const db = testDb() as Kysely<any>
    await generateScaleData(testDb(), { scale: 'tiny' })
    const before = await databaseDigests(db)
    expect(before.people!.rows).toBe(460)

    // The newest migrations whose down drops no table or column that holds data.
    const window: string[] = []
    for (let level = NAMES.length; level > 0 && schemas[level - 1]; level--) {
      const added = schemas[level]!.filter((line) => !schemas[level - 1]!.includes(line))
      let holdsData = false
      for (const line of added) {
        const table = /^table (\S+)$/.exec(line)?.[1]
        const column = /^column (\w+)\.(\w+) /.exec(line)
        if (table && (await countRows(db, table)) > 0) holdsData = true
        if (column && !added.includes(`table ${column[1]}`)) {
          const filled = await db
            .selectFrom(column[1]!)
            .select((eb) => eb.fn.count(column[2]!).as('n'))
            .executeTakeFirstOrThrow()
          if (Number(filled.n) > 0) holdsData = true
        }
      }
      if (holdsData) break
      window.unshift(NAMES[level - 1]!)
    }
    expect(window.length).toBeGreaterThan(0)

    const migrator = migratorFor(db)
    for (const name of [...window].reverse()) {
      const step = await migrator.migrateDown()
      expect(step.error ? `${name} down failed: ${String(step.error)}` : step.results?.[0]?.migrationName).toBe(name)
    }
    const bottom = await databaseDigests(db)
    for (const [table, digest] of Object.entries(bottom))
      expect(digest.rows, `${table} rows with ${window[0]} and newer rolled back`).toBe(before[table]!.rows)
    expect(await migrateToLatest(db)).toEqual(window)
    expect(await databaseDigests(db)).toEqual(before)
  }, 240_000)
})
