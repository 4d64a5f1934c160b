import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mdx_cache')
    .addColumn('hash', 'varchar(64)', (c) => c.primaryKey())
    // Compiled modules can exceed MySQL's 64 KB `text`; SQLite reads mediumtext as TEXT.
    .addColumn('code', sql`mediumtext`, (c) => c.notNull())
    .addColumn('frontmatter', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mdx_cache').execute()
}
