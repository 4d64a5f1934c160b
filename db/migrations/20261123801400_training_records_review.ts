import type { Kysely } from 'kysely'

/**
 * External training records (issue 5): the start date, the proof file, the reviewer's decision
 * and a version column, so a claim and its review live on the record itself. One column per
 * statement: SQLite's ALTER TABLE adds one column at a time.
 */
const COLUMNS: [string, string][] = [
  ['start_date', 'varchar(10)'],
  ['proof_key', 'varchar(200)'],
  ['proof_mime', 'varchar(64)'],
  ['reviewed_by', 'varchar(26)'],
  ['reviewed_at', 'varchar(24)'],
  ['review_reason', 'varchar(1000)'],
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, type] of COLUMNS) {
    await db.schema
      .alterTable('training_records')
      .addColumn(name, type as 'text')
      .execute()
  }
  await db.schema
    .alterTable('training_records')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['version', ...COLUMNS.map(([n]) => n).reverse()]) {
    await db.schema.alterTable('training_records').dropColumn(name).execute()
  }
}
