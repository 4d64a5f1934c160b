/**
 * The JSON receivers get. The body is built once, when the event happens, and stored: every
 * delivery of the event (retries and replays) sends exactly these bytes.
 */
import type { CaseStatus, WebhookEventType } from '#db/schema.ts'

export const CASE_STATUS_CHANGED: WebhookEventType = 'case.status_changed'

export type CaseOutcome = 'succeeded' | 'failed'

export interface CaseStatusData {
  case_id: string
  case_number: string
  /** The referring system's own reference, as it sent it. */
  external_ref: string
  status: CaseStatus
  previous_status: CaseStatus
  /** 调解成功 / 调解不成 once the mediation has concluded (kept after the case is closed), else null. */
  outcome: CaseOutcome | null
  /** The outcome note staff recorded at conclusion, else null. */
  outcome_note: string | null
  changed_at: string
}

export interface WebhookBody<D> {
  id: string
  type: WebhookEventType
  created_at: string
  data: D
}

export function outcomeOf(status: CaseStatus): CaseOutcome | null {
  return status === 'succeeded' || status === 'failed' ? status : null
}

export function caseStatusBody(eventId: string, createdAt: string, data: CaseStatusData): string {
  const body: WebhookBody<CaseStatusData> = { id: eventId, type: CASE_STATUS_CHANGED, created_at: createdAt, data }
  return JSON.stringify(body)
}

/** The outcome a previous event of the case reported (a closed case keeps its conclusion). */
export function outcomeInBody(body: string): CaseOutcome | null {
  try {
    const parsed = JSON.parse(body) as Partial<WebhookBody<Partial<CaseStatusData>>>
    const outcome = parsed.data?.outcome
    return outcome === 'succeeded' || outcome === 'failed' ? outcome : null
  } catch {
    return null
  }
}
