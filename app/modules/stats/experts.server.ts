/**
 * Expert pool statistics: the pool by tier and status, by primary domain and by region (a
 * snapshot: the pool as it stands); in the period, invitations and how experts answered them
 * (response and acceptance rates), utilisation (share of active experts who took on a
 * consultation) and the current load distribution. Scope: the experts' region (the appointing
 * body's region); national experts have no region and count only for unrestricted users.
 */
import { sql } from 'kysely'
import { scopeCondition } from '#app/lib/list-scope.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import type { ExpertStatus, ExpertTier } from '#db/schema.ts'
import { type StatsContext, num, periodBounds, regionRows } from './context.server.ts'
import { bucketCounts, bucketLabel, daysBetween, median, percent, round1 } from './math.ts'
import type { StatsReport } from './model.ts'

const TIERS: ExpertTier[] = ['national', 'provincial', 'municipal', 'district']
const STATUSES: ExpertStatus[] = ['active', 'suspended', 'retired', 'removed']
const ACCEPTED = ['accepted', 'submitted', 'rated'] as const
const LOAD_EDGES = [0, 1, 2, 3, 4]

export async function expertStats(ctx: StatsContext): Promise<StatsReport> {
  const { db, t } = ctx
  const inScope = scopeCondition(ctx.scope, { region: 'e.region_code', org: 'e.appointing_org_id' })
  const { start, end } = periodBounds(ctx.filters)

  const [byTierStatus, byDomain, byRegion, loads, invitations, acceptedExperts, answers] = await Promise.all([
    db
      .selectFrom('experts as e')
      .select(['e.tier', 'e.status', (eb) => eb.fn.countAll().as('n')])
      .where(inScope)
      .groupBy(['e.tier', 'e.status'])
      .execute(),
    db
      .selectFrom('experts as e')
      .innerJoin('expert_domains as d', 'd.expert_id', 'e.person_id')
      .innerJoin('dispute_types as dt', 'dt.code', 'd.dispute_type_code')
      .select(['dt.code', 'dt.name_zh', 'dt.name_en', 'dt.sort', (eb) => eb.fn.countAll().as('n')])
      .where(inScope)
      .where('e.status', '=', 'active')
      .where('d.role', '=', 'primary')
      .groupBy(['dt.code', 'dt.name_zh', 'dt.name_en', 'dt.sort'])
      .execute(),
    db
      .selectFrom('experts as e')
      .innerJoin('regions as r', 'r.code', 'e.region_code')
      .select(['r.path', (eb) => eb.fn.countAll().as('n')])
      .where(inScope)
      .where('e.status', '=', 'active')
      .groupBy('r.path')
      .execute(),
    db
      .selectFrom('experts as e')
      .leftJoin('expert_loads as l', 'l.expert_id', 'e.person_id')
      .select([sql<number>`coalesce(l.active_count, 0)`.as('load'), (eb) => eb.fn.countAll().as('n')])
      .where(inScope)
      .where('e.status', '=', 'active')
      .groupBy(sql`coalesce(l.active_count, 0)`)
      .execute(),
    db
      .selectFrom('case_consultations as cc')
      .innerJoin('experts as e', 'e.person_id', 'cc.expert_id')
      .select([
        'cc.status',
        (eb) => eb.fn.countAll().as('n'),
        sql<number>`sum(case when cc.responded_at is not null then 1 else 0 end)`.as('responded'),
      ])
      .where(inScope)
      .where('cc.invited_at', '>=', start)
      .where('cc.invited_at', '<', end)
      .groupBy('cc.status')
      .execute(),
    db
      .selectFrom('case_consultations as cc')
      .innerJoin('experts as e', 'e.person_id', 'cc.expert_id')
      .select(sql<number>`count(distinct cc.expert_id)`.as('n'))
      .where(inScope)
      .where('cc.invited_at', '>=', start)
      .where('cc.invited_at', '<', end)
      .where('cc.status', 'in', [...ACCEPTED])
      .executeTakeFirst(),
    // Response times need each answer's two instants (date arithmetic differs between the dialects).
    db
      .selectFrom('case_consultations as cc')
      .innerJoin('experts as e', 'e.person_id', 'cc.expert_id')
      .select(['cc.invited_at', 'cc.responded_at'])
      .where(inScope)
      .where('cc.invited_at', '>=', start)
      .where('cc.invited_at', '<', end)
      .where('cc.responded_at', 'is not', null)
      .execute(),
  ])

  const count = (tier: string, status: string) => num(byTierStatus.find((r) => r.tier === tier && r.status === status)?.n)
  const active = byTierStatus.filter((r) => r.status === 'active').reduce((s, r) => s + num(r.n), 0)
  const invited = invitations.reduce((s, c) => s + num(c.n), 0)
  const responded = invitations.reduce((s, c) => s + num(c.responded), 0)
  const accepted = invitations.filter((c) => (ACCEPTED as readonly string[]).includes(c.status)).reduce((s, c) => s + num(c.n), 0)
  const responseDays = answers.map((c) => daysBetween(c.invited_at, c.responded_at)).filter((d): d is number => d !== null)
  const byStatus = new Map(invitations.map((c) => [c.status as string, num(c.n)]))
  const loadBuckets = bucketCounts(
    loads.map((l) => ({ value: num(l.load), count: num(l.n) })),
    LOAD_EDGES,
  )
  const regions = await regionRows(
    ctx,
    byRegion.map((r) => ({ path: r.path, values: [num(r.n)] })),
    1,
  )

  return {
    area: 'experts',
    figures: [
      { label: t('stats.experts.active'), value: active, format: 'int' },
      { label: t('stats.experts.invitations'), value: invited, format: 'int' },
      { label: t('stats.experts.responseRate'), value: percent(responded, invited), format: 'pct' },
      { label: t('stats.experts.acceptanceRate'), value: percent(accepted, responded), format: 'pct' },
      { label: t('stats.experts.utilisation'), value: percent(num(acceptedExperts?.n), active), format: 'pct' },
      { label: t('stats.experts.medianResponseDays'), value: round1(median(responseDays)), format: 'dec1' },
    ],
    tables: [
      {
        id: 'tier-status',
        title: t('stats.experts.byTierStatus'),
        note: t('stats.note.snapshot'),
        categoryHeader: t('stats.experts.tier'),
        series: STATUSES.map((s) => ({ header: t(`experts.status.${s}` as MessageKey), format: 'int' as const })),
        rows: TIERS.map((tier) => ({ label: t(`experts.tier.${tier}` as MessageKey), values: STATUSES.map((s) => count(tier, s)) })),
        chart: 'stacked',
      },
      {
        id: 'domain',
        title: t('stats.experts.byDomain'),
        note: t('stats.experts.byDomain.note'),
        categoryHeader: t('stats.experts.domain'),
        series: [{ header: t('stats.experts.activeExperts'), format: 'int' }],
        rows: byDomain
          .sort((a, b) => num(b.n) - num(a.n) || a.sort - b.sort)
          .map((d) => ({ label: ctx.locale === 'en' ? d.name_en : d.name_zh, values: [num(d.n)] })),
        chart: 'hbar',
      },
      {
        id: 'region',
        title: t('stats.experts.byRegion'),
        categoryHeader: t('stats.region'),
        series: [{ header: t('stats.experts.activeExperts'), format: 'int' }],
        rows: regions,
        chart: 'hbar',
      },
      {
        id: 'load',
        title: t('stats.experts.load'),
        note: t('stats.experts.load.note'),
        categoryHeader: t('stats.experts.openConsultations'),
        series: [{ header: t('stats.experts.activeExperts'), format: 'int' }],
        rows: loadBuckets.map((b) => ({ label: bucketLabel(b), values: [b.count] })),
        chart: 'bar',
      },
      {
        id: 'responses',
        title: t('stats.experts.responses'),
        note: t('stats.note.period'),
        categoryHeader: t('stats.experts.invitationStatus'),
        series: [{ header: t('stats.count'), format: 'int' }],
        rows: ['invited', 'accepted', 'declined', 'submitted', 'rated', 'withdrawn']
          .map((s) => ({ label: t(`stats.consultation.${s}` as MessageKey), values: [byStatus.get(s) ?? 0] }))
          .filter((r) => r.values[0]! > 0),
        chart: 'pie',
      },
    ],
    notes: [],
  }
}
