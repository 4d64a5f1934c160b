/**
 * Loading a round for the pages of the public notice, objections and results, with what access
 * checks need: a round's scope record is its association (orgId) and the association's region.
 */
import type { Selectable } from 'kysely'
import type { Executor } from '#app/lib/db.server.ts'
import { isId } from '#app/lib/ids.ts'
import { notFound } from '#app/lib/http.server.ts'
import { type AuthUser, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import type { Permission, RecordScope } from '#app/modules/auth/policy.ts'
import type { GradingRoundTable } from '#db/schema.ts'
import { type GradingConfig, parseGradingConfig } from './config.ts'

export interface LoadedRound {
  round: Selectable<GradingRoundTable>
  config: GradingConfig
  associationName: string
  scope: RecordScope & { orgId: string; regionPath: string }
}

export async function loadRound(db: Executor, roundId: string): Promise<LoadedRound | null> {
  if (!isId(roundId)) return null
  const row = await db
    .selectFrom('grading_rounds as r')
    .innerJoin('grading_configs as c', 'c.id', 'r.config_id')
    .innerJoin('organisations as o', 'o.id', 'r.association_org_id')
    .innerJoin('regions as g', 'g.code', 'o.region_code')
    .selectAll('r')
    .select(['c.config as config_json', 'o.name as association_name', 'g.path as region_path'])
    .where('r.id', '=', roundId)
    .executeTakeFirst()
  if (!row) return null
  const { config_json, association_name, region_path, ...round } = row
  return {
    round,
    config: parseGradingConfig(config_json),
    associationName: association_name,
    scope: { orgId: round.association_org_id, regionPath: region_path },
  }
}

export async function requireLoadedRound(db: Executor, roundId: string | undefined): Promise<LoadedRound> {
  const loaded = await loadRound(db, roundId ?? '')
  if (!loaded) notFound()
  return loaded
}

/** A grade's display name in a round's rules (the code itself if the ladder no longer has it). */
export function gradeName(config: GradingConfig, code: string): string {
  return config.grades.find((g) => g.code === code)?.name ?? code
}

/** The signed-in user and the round, if they hold `permission` for its association (404 out of scope). */
export async function requireRoundAccess(
  request: Request,
  db: Executor,
  permission: Permission,
  roundId: string | undefined,
): Promise<{ user: AuthUser; loaded: LoadedRound }> {
  const user = await requirePermission(request, permission)
  const loaded = await requireLoadedRound(db, roundId)
  await requireRecordAccess(request, user, permission, { type: 'grading_round', id: loaded.round.id, ...loaded.scope })
  return { user, loaded }
}
