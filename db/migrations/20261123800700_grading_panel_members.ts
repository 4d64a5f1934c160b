import type { Kysely } from 'kysely'

/** Reviewers on a grading round's panel. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grading_panel_members')
    .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
    .addColumn('round_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(26)', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(24)', (c) => c.notNull())
    .addForeignKeyConstraint('fk_grading_panel_members_round', ['round_id'], 'grading_rounds', ['id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('fk_grading_panel_members_user', ['user_id'], 'users', ['id'])
    .addUniqueConstraint('uq_grading_panel_members_round_user', ['round_id', 'user_id'])
    .execute()
  await db.schema.createIndex('ix_grading_panel_members_user').on('grading_panel_members').columns(['user_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grading_panel_members').execute()
}
