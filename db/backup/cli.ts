/** Shared by the backup and restore command lines: options, sizes, the audit entry. */
import { audit } from '#app/lib/audit.server.ts'
import type { DB } from '#app/lib/db.server.ts'

export function option(name: string): string | undefined {
  const args = process.argv.slice(2)
  const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))
  if (index < 0) return undefined
  const arg = args[index]!
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1]
}

export function flag(name: string): boolean {
  return process.argv.slice(2).includes(`--${name}`)
}

/** Arguments that are neither options nor their values. */
export function positional(valued: readonly string[]): string[] {
  const args = process.argv.slice(2)
  return args.filter((arg, index) => !arg.startsWith('--') && !valued.some((name) => args[index - 1] === `--${name}`))
}

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
