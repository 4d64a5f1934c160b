/**
 * Versioned grading rules per association. A version is never updated: saving writes version
 * n + 1, and rounds keep the config_id they started with. An association without any version gets
 * DEFAULT_GRADING_CONFIG written as version 1 the first time it is needed (so every round points
 * at a stored row). Two admins saving from the same version: the unique (association, version_no)
 * key lets only one win; the other is told its base is stale.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { isUniqueViolation } from '#app/lib/db-errors.ts'
import { newId } from '#app/lib/ids.ts'
import { nowIso } from '#app/lib/time.ts'
import { DEFAULT_GRADING_CONFIG, type GradingConfig, gradingConfigSchema, parseGradingConfig } from './config.ts'

export interface StoredConfig {
  id: string
  associationOrgId: string
  versionNo: number
  config: GradingConfig
  note: string | null
  createdBy: string
  createdAt: string
}

type Row = {
  id: string
  association_org_id: string
  version_no: number
  config: string
  note: string | null
  created_by: string
  created_at: string
}

function toStored(row: Row): StoredConfig {
  return {
    id: row.id,
    associationOrgId: row.association_org_id,
    versionNo: Number(row.version_no),
    config: parseGradingConfig(row.config),
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
  }
}

export async function latestConfig(db: Executor, associationOrgId: string): Promise<StoredConfig | null> {
  const row = await db
    .selectFrom('grading_configs')
    .selectAll()
    .where('association_org_id', '=', associationOrgId)
    .orderBy('version_no', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? toStored(row) : null
}

export async function configById(db: Executor, id: string): Promise<StoredConfig | null> {
  const row = await db.selectFrom('grading_configs').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? toStored(row) : null
}

/** The latest version, writing the default as version 1 when the association has none. */
export async function ensureConfig(db: Executor, associationOrgId: string, userId: string): Promise<StoredConfig> {
  const existing = await latestConfig(db, associationOrgId)
  if (existing) return existing
  const saved = await saveConfigVersion(db, associationOrgId, DEFAULT_GRADING_CONFIG, 0, userId, null)
  if (saved.ok) return saved.config
  // Someone else created version 1 at the same moment: theirs is as good as ours.
  return (await latestConfig(db, associationOrgId))!
}

export type SaveOutcome = { ok: true; config: StoredConfig } | { ok: false; error: 'stale' }

/**
 * Saves `config` as the version after `baseVersionNo` (the version the form loaded; 0 when none).
 * Refuses when a newer version exists, so nobody's edit silently replaces another's.
 */
export async function saveConfigVersion(
  db: Executor,
  associationOrgId: string,
  config: GradingConfig,
  baseVersionNo: number,
  userId: string,
  note: string | null,
): Promise<SaveOutcome> {
  const checked = gradingConfigSchema.parse(config)
  const latest = await db
    .selectFrom('grading_configs')
    .select('version_no')
    .where('association_org_id', '=', associationOrgId)
    .orderBy('version_no', 'desc')
    .limit(1)
    .executeTakeFirst()
  if ((latest ? Number(latest.version_no) : 0) !== baseVersionNo) return { ok: false, error: 'stale' }
  const row: Row = {
    id: newId(),
    association_org_id: associationOrgId,
    version_no: baseVersionNo + 1,
    config: JSON.stringify(checked),
    note,
    created_by: userId,
    created_at: nowIso(),
  }
  try {
    await db.insertInto('grading_configs').values(row).execute()
  } catch (error) {
    if (isUniqueViolation(error, ['uq_grading_configs_association_org_version_no', 'grading_configs.']))
      return { ok: false, error: 'stale' }
    throw error
  }
  return { ok: true, config: toStored(row) }
}

export interface ConfigVersionSummary {
  id: string
  versionNo: number
  note: string | null
  createdAt: string
  createdBy: string
  rounds: number
}

export async function configHistory(db: Executor, associationOrgId: string): Promise<ConfigVersionSummary[]> {
  const rows = await db
    .selectFrom('grading_configs as c')
    .leftJoin('users as u', 'u.id', 'c.created_by')
    .select((eb) => [
      'c.id',
      'c.version_no',
      'c.note',
      'c.created_at',
      'u.display_name',
      eb
        .selectFrom('grading_rounds as r')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('r.config_id', '=', 'c.id')
        .as('rounds'),
    ])
    .where('c.association_org_id', '=', associationOrgId)
    .orderBy('c.version_no', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    versionNo: Number(r.version_no),
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.display_name ?? '',
    rounds: Number(r.rounds ?? 0),
  }))
}
