import type { orgs as zh } from '../zh-CN/orgs.ts'

export const orgs: Record<keyof typeof zh, string> = {
  'orgs.title': 'Organisations',
  'orgs.list.caption': 'Organisations',
  'orgs.new': 'New organisation',
  'orgs.new.title': 'New organisation',
  'orgs.edit.title': 'Edit organisation',
  'orgs.created': 'The organisation has been created.',
  'orgs.updated': 'The organisation has been saved.',

  'orgs.field.name': 'Name',
  'orgs.field.kind': 'Kind',
  'orgs.field.sector': 'Sector',
  'orgs.field.region': 'Region',
  'orgs.field.parent': 'Supervising body',
  'orgs.field.address': 'Address',
  'orgs.field.contactPhone': 'Switchboard phone',
  'orgs.field.status': 'Status',
  'orgs.field.updatedAt': 'Updated',
  'orgs.field.mediators': 'Mediators',

  'orgs.filter.search': 'Name',
  'orgs.filter.searchPlaceholder': 'Part of the name',

  'orgs.kind.justice_bureau': 'Justice bureau',
  'orgs.kind.justice_office': 'Justice office',
  'orgs.kind.association': 'People’s mediation association',
  'orgs.kind.committee_village': 'Village / community committee',
  'orgs.kind.committee_township': 'Township / street committee',
  'orgs.kind.committee_enterprise': 'Enterprise / institution committee',
  'orgs.kind.committee_sector': 'Sector committee',
  'orgs.kind.committee_stationed': 'Stationed mediation office',
  'orgs.kind.studio': 'Personal mediation studio',

  'orgs.status.active': 'Active',
  'orgs.status.dissolved': 'Dissolved',

  'orgs.detail.mediatorCount': '{count} in total ({active} active)',
  'orgs.detail.viewMediators': 'Show this organisation’s mediators',
  'orgs.detail.noParent': 'None',

  'orgs.form.choose': 'Choose…',
  'orgs.form.none': '(none)',

  'orgs.hint.sector': 'Required for sector committees',
  'orgs.hint.contactPhone': 'The organisation’s switchboard or office line, not a personal mobile',
  'orgs.error.sectorRequired': 'A sector committee needs a sector',
  'orgs.error.regionOutOfScope': 'Choose a region within your scope',
  'orgs.error.parentInvalid': 'Choose a justice bureau, justice office or association within your scope',
  'orgs.error.phoneFormat': 'Use digits, spaces, brackets, plus and hyphens only',
}
