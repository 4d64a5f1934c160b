/** Shared by the backup and restore command lines: sizes, the audit entry (options: ../cli-support.ts). */
import { audit } from '#app/lib/audit.server.ts'
import type { DB } from '#app/lib/db.server.ts'

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** Backups and restores copy every person's data: the audit log says who ran one, when and what. */
export async function auditOperation(db: DB, action: 'backup.created' | 'backup.restored', detail: Record<string, unknown>): Promise<void> {
  await audit(
    db,
    new Request(`http://localhost/${action}`),
    { userId: null, username: `system:${action.split('.')[1] === 'created' ? 'backup' : 'restore'}`, roles: null, scope: null },
    { action, recordType: 'database', detail },
  )
}
