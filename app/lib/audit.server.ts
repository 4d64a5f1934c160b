/**
 * The append-only audit log (security checklist 23-24). Callers describe what happened; this
 * module adds who, when and from where. Never put passwords, tokens or full personal numbers in
 * `detail`: pass masked values.
 */
import type { AuditResult } from '#db/schema.ts'
import type { Executor } from './db.server.ts'
import { newId } from './ids.ts'
import { clientAddress } from './request.server.ts'

export interface AuditActor {
  userId: string | null
  username: string | null
  roles: string | null
  scope: string | null
}

export const ANONYMOUS: AuditActor = { userId: null, username: null, roles: null, scope: null }

export interface AuditEvent {
  action: string
  recordType?: string
  recordId?: string
  result?: AuditResult
  detail?: Record<string, unknown>
}

export async function audit(db: Executor, request: Request, actor: AuditActor, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(),
      at: new Date().toISOString(),
      user_id: actor.userId,
      username: actor.username,
      roles: actor.roles,
      scope: actor.scope,
      ip: clientAddress(request),
      action: event.action,
      record_type: event.recordType ?? null,
      record_id: event.recordId ?? null,
      result: event.result ?? 'ok',
      detail: event.detail ? JSON.stringify(event.detail) : null,
    })
    .execute()
}
