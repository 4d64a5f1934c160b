/**
 * The forms staff and the expert share (unavailable periods, conflicts, contact preference), handled
 * the same way from the expert's detail page and from the expert's own page. The caller has checked
 * access and says who is acting (`by`).
 */
import type { SubmissionResult } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import { data } from '@remix-run/node'
import type { DB } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import type { AuthUser } from '#app/modules/auth/authz.server.ts'
import {
  type EnteredBy,
  addConflict,
  addUnavailability,
  endConflict,
  removeUnavailability,
  updateContactPreference,
} from './availability.server.ts'
import type { Outcome } from './outcome.ts'
import {
  addConflictSchema,
  addUnavailabilitySchema,
  contactPreferenceSchema,
  endConflictSchema,
  removeUnavailabilitySchema,
} from './schemas.ts'

export const PANEL_INTENTS = ['unavailability.add', 'unavailability.remove', 'conflict.add', 'conflict.end', 'contact'] as const
export type PanelIntent = (typeof PANEL_INTENTS)[number]

export interface PanelActionData {
  intent: PanelIntent
  result: SubmissionResult<string[]>
}

export function isPanelIntent(value: unknown): value is PanelIntent {
  return (PANEL_INTENTS as readonly unknown[]).includes(value)
}

const SCHEMAS = {
  'unavailability.add': addUnavailabilitySchema,
  'unavailability.remove': removeUnavailabilitySchema,
  'conflict.add': addConflictSchema,
  'conflict.end': endConflictSchema,
  contact: contactPreferenceSchema,
} as const

const SUCCESS: Record<PanelIntent, MessageKey> = {
  'unavailability.add': 'experts.unavailability.added',
  'unavailability.remove': 'experts.unavailability.removed',
  'conflict.add': 'experts.conflict.added',
  'conflict.end': 'experts.conflict.ended',
  contact: 'experts.contact.saved',
}

export async function handlePanelIntent(
  db: DB,
  request: Request,
  user: AuthUser,
  personId: string,
  by: EnteredBy,
  intent: PanelIntent,
  formData: FormData,
  today: string,
  returnTo: string,
) {
  const submission = parseWithZod(formData, { schema: SCHEMAS[intent] })
  if (submission.status !== 'success') return data<PanelActionData>({ intent, result: submission.reply() }, { status: 400 })
  const value = submission.value
  let outcome: Outcome<unknown>
  switch (value.intent) {
    case 'unavailability.add':
      outcome = await addUnavailability(db, request, user, personId, by, value, today)
      break
    case 'unavailability.remove':
      outcome = await removeUnavailability(db, request, user, personId, by, value.periodId)
      break
    case 'conflict.add':
      outcome = await addConflict(db, request, user, personId, by, value)
      break
    case 'conflict.end':
      outcome = await endConflict(db, request, user, personId, by, value.conflictId, today)
      break
    case 'contact':
      outcome = await updateContactPreference(db, request, user, personId, value)
      break
  }
  if (!outcome.ok) {
    return data<PanelActionData>(
      { intent, result: submission.reply({ fieldErrors: outcome.fieldErrors, formErrors: outcome.formErrors }) },
      { status: outcome.stale ? 409 : 400 },
    )
  }
  return redirectWithFlash(returnTo, { kind: 'success', message: SUCCESS[intent] })
}
