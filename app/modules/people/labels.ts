/** Gender, employment and mediator status values with their message keys. */
import type { MessageKey } from '#app/lib/i18n.ts'
import type { Gender, MediatorTable } from '#db/schema.ts'

export type Employment = MediatorTable['employment']
export type MediatorStatus = MediatorTable['status']

const GENDER_LABELS = { male: 'people.gender.male', female: 'people.gender.female' } as const satisfies Record<Gender, MessageKey>
const EMPLOYMENT_LABELS = {
  full_time: 'people.employment.full_time',
  part_time: 'people.employment.part_time',
} as const satisfies Record<Employment, MessageKey>
const STATUS_LABELS = { active: 'people.status.active', inactive: 'people.status.inactive' } as const satisfies Record<
  MediatorStatus,
  MessageKey
>

export const GENDERS = Object.keys(GENDER_LABELS) as [Gender, ...Gender[]]
export const EMPLOYMENTS = Object.keys(EMPLOYMENT_LABELS) as [Employment, ...Employment[]]
export const MEDIATOR_STATUSES = Object.keys(STATUS_LABELS) as [MediatorStatus, ...MediatorStatus[]]

export function isEmployment(value: unknown): value is Employment {
  return typeof value === 'string' && Object.hasOwn(EMPLOYMENT_LABELS, value)
}

export function isMediatorStatus(value: unknown): value is MediatorStatus {
  return typeof value === 'string' && Object.hasOwn(STATUS_LABELS, value)
}

export function genderLabel(gender: Gender): MessageKey {
  return GENDER_LABELS[gender]
}

export function employmentLabel(employment: Employment): MessageKey {
  return EMPLOYMENT_LABELS[employment]
}

export function mediatorStatusLabel(status: MediatorStatus): MessageKey {
  return STATUS_LABELS[status]
}
