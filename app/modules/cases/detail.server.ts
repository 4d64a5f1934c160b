/**
 * What the case page shows besides the case itself: the latest stored recommendation with the
 * experts' names, the consultations, and a name search over eligible experts.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { checkEligibility, exclusionRef } from '#app/modules/matching/constraints.ts'
import type { ExclusionSummary } from '#app/modules/matching/constraints.ts'
import type { RecommendedExpert } from '#app/modules/matching/recommend.ts'
import { scorePair } from '#app/modules/matching/score.ts'
import { type StoredDiversify, activeMatchConfig, loadMatchCases, loadMatchExperts } from './matching.server.ts'

export async function latestRecommendation(db: Executor, caseId: string) {
  const row = await db
    .selectFrom('case_recommendations')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!row) return null
  const items = JSON.parse(row.items) as RecommendedExpert[]
  const excluded = JSON.parse(row.excluded) as ExclusionSummary & { diversify?: StoredDiversify | null }
  const names = await expertNames(
    db,
    items.map((i) => i.expertId),
  )
  return {
    id: row.id,
    configVersion: row.config_version,
    eligibleCount: row.eligible_count,
    createdAt: row.created_at,
    diversify: excluded.diversify ?? null,
    items: items.map((i) => ({ ...i, ...(names.get(i.expertId) ?? { name: '?', tier: 'district' as const, employer: '' }) })),
    excluded: excluded.groups.map((g) => ({
      family: g.family,
      count: g.count,
      message: g.message,
      codes: g.codes.map((c) => ({ code: c.code, count: c.count })),
    })),
  }
}

export async function expertNames(db: Executor, ids: readonly string[]) {
  if (!ids.length) return new Map<string, { name: string; tier: 'national' | 'provincial' | 'municipal' | 'district'; employer: string }>()
  const rows = await db.selectFrom('experts').select(['person_id', 'name', 'tier', 'employer']).where('person_id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.person_id, { name: r.name, tier: r.tier, employer: r.employer }]))
}

/** Experts whose name contains the text, each with eligibility for the case (reasons when not). */
export async function searchExpertsForCase(db: Executor, caseId: string, text: string, today: string) {
  const like = `%${text.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
  const rows = await db
    .selectFrom('experts')
    .select(['person_id', 'name', 'tier', 'employer'])
    .where('name', 'like', like)
    .orderBy('name')
    .limit(20)
    .execute()
  if (!rows.length) return []
  const [[kase], experts, { config }] = await Promise.all([
    loadMatchCases(db, [caseId]),
    loadMatchExperts(
      db,
      today,
      rows.map((r) => r.person_id),
    ),
    activeMatchConfig(db),
  ])
  const byId = new Map(experts.map((e) => [e.id, e]))
  return rows.map((r) => {
    const expert = byId.get(r.person_id)
    const eligibility = expert && kase ? checkEligibility(expert, kase, config) : null
    const onCase = kase?.lockedExpertIds.includes(r.person_id) ?? false
    return {
      expertId: r.person_id,
      name: r.name,
      tier: r.tier,
      employer: r.employer,
      onCase,
      eligible: !!eligibility?.eligible && !onCase,
      reasons: eligibility && !eligibility.eligible ? eligibility.reasons.map(exclusionRef) : [],
      total: expert && kase && eligibility?.eligible ? scorePair(expert, kase, config, today).total : null,
    }
  })
}
