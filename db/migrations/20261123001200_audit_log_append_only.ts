import { MysqlAdapter, sql } from 'kysely'
import type { Kysely } from 'kysely'

// The audit log is append-only (security checklist 24): triggers refuse UPDATE and DELETE, so
// not even a bug in the application can rewrite history. Retention is "keep at least 6 months";
// pruning older rows is a DBA task that drops these triggers deliberately.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof MysqlAdapter) {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`.execute(
      db,
    )
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`.execute(
      db,
    )
    return
  }
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(
    db,
  )
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(db)
  await sql`DROP TRIGGER IF EXISTS audit_log_no_delete`.execute(db)
}
