/**
 * Writes behind the public directory: an organisation's public information (services, opening
 * hours, dispute types taken), edited by those who manage the organisation, and a graded
 * mediator's choice of optional fields to hide. Both version-checked, in one transaction, audited.
 */
import type { DB, Executor } from '#app/lib/db.server.ts'
import { audit } from '#app/lib/audit.server.ts'
import { nowIso } from '#app/lib/time.ts'
import type { AuditContext } from '#app/modules/audit/changes.ts'
import { changes } from '#app/modules/audit/changes.ts'
import type { OrgKind } from '#db/schema.ts'
import { isPublicOrgKind } from './model.ts'
import type { MediatorPreferencesInput, OrgPublicInfoInput } from './schemas.ts'

export interface OrgPublicInfo {
  id: string
  name: string
  kind: OrgKind
  /** False for kinds the directory does not list (bureaus, justice offices). */
  listed: boolean
  active: boolean
  regionPath: string
  services: string | null
  openingHours: string | null
  contactPhone: string | null
  disputeTypes: string[]
  version: number
}

export async function getOrgPublicInfo(db: Executor, orgId: string): Promise<OrgPublicInfo | null> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .select(['o.id', 'o.name', 'o.kind', 'o.status', 'r.path', 'o.services', 'o.opening_hours', 'o.contact_phone', 'o.version'])
    .where('o.id', '=', orgId)
    .executeTakeFirst()
  if (!row) return null
  const types = await db
    .selectFrom('organisation_dispute_types')
    .select('dispute_type_code')
    .where('org_id', '=', orgId)
    .orderBy('dispute_type_code')
    .execute()
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    listed: isPublicOrgKind(row.kind),
    active: row.status === 'active',
    regionPath: row.path,
    services: row.services,
    openingHours: row.opening_hours,
    contactPhone: row.contact_phone,
    disputeTypes: types.map((t) => t.dispute_type_code),
    version: row.version,
  }
}

export async function activeDisputeTypes(db: Executor): Promise<{ code: string; nameZh: string; nameEn: string }[]> {
  const rows = await db
    .selectFrom('dispute_types')
    .select(['code', 'name_zh', 'name_en'])
    .where('active', '=', 1)
    .orderBy('sort')
    .orderBy('code')
    .execute()
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en }))
}

export type SaveResult = { ok: true } | { ok: false; error: 'stale' } | { ok: false; error: 'unknownType'; codes: string[] }

/**
 * Saves the organisation's public information made on `input.version` of the organisation row
 * (the same version the organisation form uses, so the two pages cannot overwrite each other).
 */
export async function saveOrgPublicInfo(db: DB, ctx: AuditContext, orgId: string, input: OrgPublicInfoInput): Promise<SaveResult> {
  const known = new Set((await activeDisputeTypes(db)).map((t) => t.code))
  const unknown = input.disputeTypes.filter((c) => !known.has(c))
  if (unknown.length) return { ok: false, error: 'unknownType', codes: unknown }
  return db.transaction().execute(async (trx): Promise<SaveResult> => {
    const before = await getOrgPublicInfo(trx, orgId)
    if (!before) return { ok: false, error: 'stale' }
    const values = { services: input.services || null, opening_hours: input.openingHours || null }
    const updated = await trx
      .updateTable('organisations')
      .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: nowIso() }))
      .where('id', '=', orgId)
      .where('version', '=', input.version)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, error: 'stale' }
    await trx.deleteFrom('organisation_dispute_types').where('org_id', '=', orgId).execute()
    if (input.disputeTypes.length) {
      await trx
        .insertInto('organisation_dispute_types')
        .values(input.disputeTypes.map((code) => ({ org_id: orgId, dispute_type_code: code })))
        .execute()
    }
    const diff = changes(
      { services: before.services, opening_hours: before.openingHours, dispute_types: before.disputeTypes.join(',') },
      { ...values, dispute_types: [...input.disputeTypes].sort().join(',') },
    )
    await audit(trx, ctx.request, ctx.actor, { action: 'directory.org_updated', recordType: 'organisation', recordId: orgId, detail: diff })
    return { ok: true }
  })
}

export interface MediatorPreferences {
  hideOrg: boolean
  hideValidUntil: boolean
  /** 0 when nothing was stored yet. */
  version: number
}

export async function getMediatorPreferences(db: Executor, personId: string): Promise<MediatorPreferences> {
  const row = await db
    .selectFrom('directory_mediator_preferences')
    .select(['hide_org', 'hide_valid_until', 'version'])
    .where('person_id', '=', personId)
    .executeTakeFirst()
  if (!row) return { hideOrg: false, hideValidUntil: false, version: 0 }
  return { hideOrg: Number(row.hide_org) === 1, hideValidUntil: Number(row.hide_valid_until) === 1, version: Number(row.version) }
}

/**
 * Stores the mediator's choices if the row is still at the version the form was loaded with
 * (0: none stored yet; a racing first save loses with 'stale').
 */
export async function saveMediatorPreferences(
  db: DB,
  ctx: AuditContext,
  personId: string,
  input: MediatorPreferencesInput,
): Promise<{ ok: true } | { ok: false; error: 'stale' }> {
  return db.transaction().execute(async (trx) => {
    const before = await getMediatorPreferences(trx, personId)
    if (before.version !== input.version) return { ok: false as const, error: 'stale' as const }
    const values = {
      hide_org: input.hideOrg ? (1 as const) : (0 as const),
      hide_valid_until: input.hideValidUntil ? (1 as const) : (0 as const),
    }
    const now = nowIso()
    if (input.version === 0) {
      try {
        await trx
          .insertInto('directory_mediator_preferences')
          .values({ person_id: personId, ...values, version: 1, updated_at: now })
          .execute()
      } catch {
        return { ok: false as const, error: 'stale' as const }
      }
    } else {
      const updated = await trx
        .updateTable('directory_mediator_preferences')
        .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: now }))
        .where('person_id', '=', personId)
        .where('version', '=', input.version)
        .executeTakeFirst()
      if (Number(updated.numUpdatedRows) !== 1) return { ok: false as const, error: 'stale' as const }
    }
    await audit(trx, ctx.request, ctx.actor, {
      action: 'directory.mediator_preferences_updated',
      recordType: 'person',
      recordId: personId,
      detail: changes(
        { hide_org: before.hideOrg ? 1 : 0, hide_valid_until: before.hideValidUntil ? 1 : 0 },
        { hide_org: values.hide_org, hide_valid_until: values.hide_valid_until },
      ),
    })
    return { ok: true as const }
  })
}
