/** Organisation kinds and statuses, with their message keys (one place for every list, form and detail page). */
import type { MessageKey } from '#app/lib/i18n.ts'
import type { OrgKind, OrganisationTable } from '#db/schema.ts'

export type OrgStatus = OrganisationTable['status']

const KIND_LABELS = {
  justice_bureau: 'orgs.kind.justice_bureau',
  justice_office: 'orgs.kind.justice_office',
  association: 'orgs.kind.association',
  committee_village: 'orgs.kind.committee_village',
  committee_township: 'orgs.kind.committee_township',
  committee_enterprise: 'orgs.kind.committee_enterprise',
  committee_sector: 'orgs.kind.committee_sector',
  committee_stationed: 'orgs.kind.committee_stationed',
  studio: 'orgs.kind.studio',
} as const satisfies Record<OrgKind, MessageKey>

const STATUS_LABELS = {
  active: 'orgs.status.active',
  dissolved: 'orgs.status.dissolved',
} as const satisfies Record<OrgStatus, MessageKey>

/** Every kind, in the order forms and filters offer them. */
export const ORG_KINDS = Object.keys(KIND_LABELS) as [OrgKind, ...OrgKind[]]
export const ORG_STATUSES = Object.keys(STATUS_LABELS) as [OrgStatus, ...OrgStatus[]]

/** Kinds that guide or supervise other organisations (bureau → office → committee; associations). */
export const SUPERVISING_KINDS: readonly OrgKind[] = ['justice_bureau', 'justice_office', 'association']

export function isOrgKind(value: unknown): value is OrgKind {
  return typeof value === 'string' && Object.hasOwn(KIND_LABELS, value)
}

export function isOrgStatus(value: unknown): value is OrgStatus {
  return typeof value === 'string' && Object.hasOwn(STATUS_LABELS, value)
}

export function orgKindLabel(kind: OrgKind): MessageKey {
  return KIND_LABELS[kind]
}

export function orgStatusLabel(status: OrgStatus): MessageKey {
  return STATUS_LABELS[status]
}
