import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('at', 'varchar(24)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(26)')
    .addColumn('username', 'varchar(64)')
    .addColumn('roles', 'varchar(255)')
    .addColumn('scope', 'varchar(255)')
    .addColumn('ip', 'varchar(64)')
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('record_type', 'varchar(32)')
    .addColumn('record_id', 'varchar(64)')
    .addColumn('result', 'varchar(16)', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute()
  await db.schema.createIndex('ix_audit_log_at').on('audit_log').column('at').execute()
  await db.schema.createIndex('ix_audit_log_record').on('audit_log').columns(['record_type', 'record_id']).execute()
  await db.schema.createIndex('ix_audit_log_user').on('audit_log').columns(['user_id', 'at']).execute()
  await db.schema.createIndex('ix_audit_log_action').on('audit_log').columns(['action', 'at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute()
}
