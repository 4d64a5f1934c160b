/**
 * List exports (.xlsx) built in the request, for lists small enough: the library review queue and
 * a drill event's results. The large lists (the mediators and experts registers, the case list,
 * the organisation list) run as background exports (app/modules/jobs/exports*) with the same title
 * rows (`filterText`, `exporterName`) and the same row cap.
 */
import { audit } from '#app/lib/audit.server.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { type MessageKey, translate } from '#app/lib/i18n.ts'
import { todayInChina } from '#app/lib/time.ts'
import { buildWorkbook, exportHeading } from '#app/lib/xlsx/write.server.ts'
import { type AuthUser, actorOf, scopeFor } from '#app/modules/auth/authz.server.ts'
import { type DrillEvent, eventResults } from '#app/modules/drills/events.server.ts'
import { reviewQueue } from '#app/modules/library/submissions.server.ts'

/** More rows than any list holds today; an export stops here rather than exhaust the server. */
export const LIST_EXPORT_MAX = 100_000
const zh = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key as MessageKey, params)

/** An instant as China's wall-clock time, `2026-03-05 08:00`. */
export const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')

export const exporterName = (user: AuthUser) => `${user.displayName}（${user.username}）`

/** Names for the filter's ids (region, organisation), for the title row. */
export async function filterText(
  db: Executor,
  parts: [label: string, value: string | null | undefined, kind?: 'region' | 'org'][],
): Promise<string> {
  const out: string[] = []
  for (const [label, value, kind] of parts) {
    if (!value) continue
    let shown = value
    if (kind === 'region')
      shown = (await db.selectFrom('regions').select('name').where('code', '=', value).executeTakeFirst())?.name ?? value
    if (kind === 'org')
      shown = (await db.selectFrom('organisations').select('name').where('id', '=', value).executeTakeFirst())?.name ?? value
    out.push(`${label} ${shown}`)
  }
  return out.join('；')
}

/** The library review queue (submissions awaiting review in the reviewer's scope). */
export async function submissionQueueWorkbook(db: Executor, request: Request, user: AuthUser): Promise<{ body: Buffer; fileName: string }> {
  const rows = await reviewQueue(db, scopeFor(user, 'library:review'))
  const body = await buildWorkbook([
    {
      name: '待评审投稿',
      title: exportHeading({ title: '案例库待评审投稿', filter: '状态 评审中', user: exporterName(user) }),
      serial: true,
      columns: [
        { header: '标题', width: 36 },
        { header: '纠纷类型', width: 12 },
        { header: '作者', width: 10 },
        { header: '所在组织', width: 28 },
        { header: '修改次数', width: 8 },
        { header: '提交时间', width: 18, text: true },
      ],
      rows: rows.map((s) => [
        s.input.title,
        s.input.disputeType,
        s.authorName,
        s.orgName ?? '',
        s.revision,
        s.submittedAt ? chinaTime(s.submittedAt) : '',
      ]),
    },
  ])
  await audit(db, request, actorOf(user), {
    action: 'library.queue_export',
    recordType: 'library_submission',
    detail: { count: rows.length },
  })
  return { body, fileName: `待评审投稿-${todayInChina()}.xlsx` }
}

/** A drill event's results (练兵比武成绩): participants ranked with each drill's best score, and organisations. */
export async function drillEventWorkbook(
  db: Executor,
  request: Request,
  user: AuthUser,
  event: DrillEvent,
  drillTitles: Map<string, string>,
): Promise<{ body: Buffer; fileName: string }> {
  const results = await eventResults(db, event, { personId: user.personId, orgId: null, allNames: true })
  const heading = (sub: string) =>
    exportHeading({
      title: `${event.title} · ${sub}`,
      filter: `范围 ${event.targetName}；${chinaTime(event.startsAt)} 至 ${chinaTime(event.endsAt)}`,
      user: exporterName(user),
    })
  const titles = event.slugs.map((slug) => drillTitles.get(slug) ?? slug)
  const body = await buildWorkbook([
    {
      name: '个人成绩',
      title: heading('个人成绩'),
      serial: true,
      columns: [
        { header: '名次', width: 6 },
        { header: '姓名', width: 10 },
        { header: '所在组织', width: 28 },
        { header: '总成绩', width: 8 },
        ...titles.map((header) => ({ header, width: 14 })),
      ],
      rows: results.persons.map((p) => [p.rank, p.name ?? '', p.orgName, p.total, ...event.slugs.map((slug) => p.scores[slug] ?? null)]),
    },
    {
      name: '组织成绩',
      title: heading('组织成绩'),
      serial: true,
      columns: [
        { header: '组织', width: 28 },
        { header: '应参加人数', width: 10 },
        { header: '参加人数', width: 10 },
        { header: '平均成绩', width: 10 },
      ],
      rows: results.orgs.map((o) => [o.orgName, o.members, o.took, o.average]),
    },
  ])
  await audit(db, request, actorOf(user), {
    action: 'drills.event_export',
    recordType: 'drill_event',
    recordId: event.id,
    detail: { persons: results.persons.length, orgs: results.orgs.length },
  })
  return { body, fileName: `练兵比武成绩-${event.title}.xlsx` }
}
