/** How a change is described in the audit log: the fields that changed, before and after. */
import type { AuditActor } from '#app/lib/audit.server.ts'

/** Who is acting and through which request, for audit rows written inside a module's transaction. */
export interface AuditContext {
  request: Request
  actor: AuditActor
}

/** Only the fields whose values differ; callers pass masked values for personal numbers. */
export function changes<T extends Record<string, unknown>>(before: T, after: T): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {}
  const a: Partial<T> = {}
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (before[key] !== after[key]) {
      b[key] = before[key]
      a[key] = after[key]
    }
  }
  return { before: b, after: a }
}
