/** Readable names for audit actions, results and record types; unknown actions show as recorded. */
import type { MessageKey } from '#app/lib/i18n.ts'
import type { AuditResult } from '#db/schema.ts'

const ACTION_LABELS: Record<string, MessageKey> = {
  'auth.sign_in': 'audit.action.auth.sign_in',
  'auth.sign_out': 'audit.action.auth.sign_out',
  'authz.forbidden': 'audit.action.authz.forbidden',
  'authz.out_of_scope': 'audit.action.authz.out_of_scope',
  'person.create': 'audit.action.person.create',
  'person.update': 'audit.action.person.update',
  'person.reveal': 'audit.action.person.reveal',
  'org.create': 'audit.action.org.create',
  'org.update': 'audit.action.org.update',
  'expert.admit': 'audit.action.expert.admit',
  'expert.update': 'audit.action.expert.update',
  'expert.status': 'audit.action.expert.status',
  'expert.renew': 'audit.action.expert.renew',
  'expert.reveal': 'audit.action.expert.reveal',
  'case.created': 'audit.action.case.created',
  'case.status_changed': 'audit.action.case.status_changed',
  'case.expert_invited': 'audit.action.case.expert_invited',
  'settings.update': 'audit.action.settings.update',
  'audit.exported': 'audit.action.audit.exported',
  'audit.archived': 'audit.action.audit.archived',
  'backup.created': 'audit.action.backup.created',
  'backup.restored': 'audit.action.backup.restored',
  'auth.two_factor.enrol': 'audit.action.auth.two_factor.enrol',
  'auth.two_factor.enrol_required': 'audit.action.auth.two_factor.enrol_required',
  'auth.two_factor.verify': 'audit.action.auth.two_factor.verify',
  'auth.two_factor.recovery_used': 'audit.action.auth.two_factor.recovery_used',
  'auth.two_factor.recovery_regenerated': 'audit.action.auth.two_factor.recovery_regenerated',
  'auth.two_factor.remove': 'audit.action.auth.two_factor.remove',
  'auth.two_factor.reset': 'audit.action.auth.two_factor.reset',
  'auth.reauthenticate': 'audit.action.auth.reauthenticate',
}

const RESULT_LABELS = {
  ok: 'audit.result.ok',
  denied: 'audit.result.denied',
  failed: 'audit.result.failed',
} as const satisfies Record<AuditResult, MessageKey>

const RECORD_TYPE_LABELS: Record<string, MessageKey> = {
  person: 'audit.recordType.person',
  organisation: 'audit.recordType.organisation',
  user: 'audit.recordType.user',
  expert: 'audit.recordType.expert',
  case: 'audit.recordType.case',
  audit_log: 'audit.recordType.audit_log',
  database: 'audit.recordType.database',
}

/** The actions the filter offers by name (any other recorded action can still be filtered by URL). */
export const KNOWN_ACTIONS = Object.keys(ACTION_LABELS)
export const AUDIT_RESULTS = Object.keys(RESULT_LABELS) as [AuditResult, ...AuditResult[]]

export function auditActionLabel(action: string): MessageKey | null {
  return Object.hasOwn(ACTION_LABELS, action) ? ACTION_LABELS[action]! : null
}

export function auditResultLabel(result: AuditResult): MessageKey {
  return RESULT_LABELS[result]
}

export function recordTypeLabel(recordType: string): MessageKey | null {
  return Object.hasOwn(RECORD_TYPE_LABELS, recordType) ? RECORD_TYPE_LABELS[recordType]! : null
}

export function isAuditResult(value: unknown): value is AuditResult {
  return typeof value === 'string' && Object.hasOwn(RESULT_LABELS, value)
}
