/**
 * The roster as a spreadsheet: the same filters as the roster's URL, the same columns and headers
 * as the import template (so an export can be corrected and read back in), plus status and region
 * name. ID and phone numbers are masked unless the user asked for full numbers and may reveal
 * them; even then only for the experts their reveal permission reaches (higher-tier experts seen
 * from below stay masked, as on the profile page). Every export is audited with its filter, count
 * and whether numbers were revealed.
 */
import { audit } from '#app/lib/audit.server.ts'
import { decrypt } from '#app/lib/crypto.server.ts'
import { translate } from '#app/lib/i18n.ts'
import type { DB } from '#app/lib/db.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { type SheetColumn, type SheetSpec, buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import { type AuthUser, actorOf } from '#app/modules/auth/authz.server.ts'
import { EXPERT_COLUMNS, GENDER_TEXT, TIER_TEXT, joinList, professionText } from './import/columns.ts'
import { parseJsonList } from './model.ts'
import { type RosterQuery, decodeCursor } from './roster.ts'
import { type RosterRow, listRoster } from './roster.server.ts'
import { expertBodyScope, expertViewScope, mayRevealExpert } from './scope.ts'
import { readExpertSettings } from './settings.server.ts'

/** More rows than any pool holds today; an export stops here rather than exhaust the server. */
export const EXPORT_MAX_ROWS = 100_000
const PAGE = 1_000

/**
 * The roster rows the query matches, page by page (keyset), in the roster's order, with the total
 * the query matches: background exports (app/modules/jobs) write each page as it comes.
 */
export async function* rosterPages(
  db: DB,
  user: AuthUser,
  query: RosterQuery,
  pageSize = PAGE,
): AsyncGenerator<{ rows: RosterRow[]; total: number }> {
  const settings = await readExpertSettings(db)
  const view = expertViewScope(user)
  const body = expertBodyScope(user, 'expert:edit')
  const today = todayInChina()
  let cursor: RosterQuery['cursor'] = null
  let seen = 0
  for (;;) {
    const page = await listRoster(db, {
      view,
      body,
      query: { ...query, pageSize, cursor },
      today,
      windowDays: settings.renewalWindowDays,
    })
    const rows = page.rows.slice(0, EXPORT_MAX_ROWS - seen)
    seen += rows.length
    yield { rows, total: Math.min(page.total, EXPORT_MAX_ROWS) }
    const next = page.next ? decodeCursor(page.next, query.sort, query.dir) : null
    if (!next || page.rows.length < pageSize || seen >= EXPORT_MAX_ROWS) break
    cursor = { direction: 'after', ...next }
  }
}

/** Every roster row the query matches (all pages), in the roster's order. */
async function allRosterRows(db: DB, user: AuthUser, query: RosterQuery): Promise<RosterRow[]> {
  const rows: RosterRow[] = []
  for await (const page of rosterPages(db, user, query)) rows.push(...page.rows)
  return rows
}

/** The filter as audited and as the file's name would show it (no cursor, no page size). */
export function auditedFilter(query: RosterQuery): Record<string, unknown> {
  const { cursor: _cursor, pageSize: _size, ...rest } = query
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== '' && v !== false))
}

/** The export's columns: the import template's, then status and region name. */
export const ROSTER_SHEET_COLUMNS: readonly SheetColumn[] = [
  ...EXPERT_COLUMNS.map((c) => ({ header: c.header, text: c.text, width: c.width })),
  { header: '状态', width: 8 },
  { header: '所属地区', width: 16 },
]

/**
 * The sheet rows of some roster rows (one page or all), numbers masked unless `full` and the
 * user may reveal that expert's; `revealed` counts the unmasked ones.
 */
export async function rosterSheetRows(
  db: DB,
  user: AuthUser,
  roster: readonly RosterRow[],
  options: { full: boolean },
): Promise<{ rows: (string | number | null)[][]; revealed: number }> {
  const details = new Map<
    string,
    {
      gender: string | null
      birth_date: string | null
      id_number_masked: string | null
      phone_masked: string | null
      id_number_enc: string | null
      phone_enc: string | null
      professions: string
      languages: string
      max_concurrent_cases: number
      bio: string | null
      region_path: string | null
    }
  >()
  const ids = roster.map((r) => r.personId)
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500)
    const rows = await db
      .selectFrom('experts as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .leftJoin('regions as r', 'r.code', 'e.region_code')
      .select([
        'e.person_id',
        'p.gender',
        'p.birth_date',
        'p.id_number_masked',
        'p.phone_masked',
        'e.professions',
        'e.languages',
        'e.max_concurrent_cases',
        'e.bio',
        'r.path as region_path',
      ])
      // Sealed numbers are read only when they may be shown.
      .$if(options.full, (q) => q.select(['p.id_number_enc', 'p.phone_enc']))
      .where('e.person_id', 'in', part)
      .execute()
    for (const row of rows) {
      const r = row as typeof row & { id_number_enc?: string | null; phone_enc?: string | null }
      details.set(row.person_id, {
        ...row,
        id_number_enc: r.id_number_enc ?? null,
        phone_enc: r.phone_enc ?? null,
        region_path: row.region_path ?? null,
      })
    }
  }

  let revealed = 0
  const rows = roster.map((expert) => {
    const d = details.get(expert.personId)
    const reveal =
      options.full && !!d && mayRevealExpert(user, { personId: expert.personId, regionCode: expert.regionCode, regionPath: d.region_path })
    if (reveal) revealed++
    const idNumber = reveal && d?.id_number_enc ? decrypt(d.id_number_enc) : (d?.id_number_masked ?? '')
    const phone = reveal && d?.phone_enc ? decrypt(d.phone_enc) : (d?.phone_masked ?? '')
    const codes = (role: string) => expert.domains.filter((x) => x.role === role).map((x) => x.code)
    const byField: Record<(typeof EXPERT_COLUMNS)[number]['field'], string | number | null> = {
      name: expert.name,
      gender: d?.gender ? (GENDER_TEXT[d.gender as keyof typeof GENDER_TEXT] ?? d.gender) : '',
      birthDate: d?.birth_date ?? '',
      idNumber,
      phone,
      employer: expert.employer,
      title: expert.title ?? '',
      professions: joinList(parseJsonList(d?.professions).map(professionText)),
      primaryDomains: joinList(codes('primary')),
      secondaryDomains: joinList(codes('secondary')),
      specialties: joinList(codes('specialty')),
      languages: joinList(parseJsonList(d?.languages)),
      tier: TIER_TEXT[expert.tier],
      regionCode: expert.regionCode ?? '',
      termStart: expert.termStart,
      termEnd: expert.termEnd,
      maxConcurrentCases: d?.max_concurrent_cases ?? null,
      bio: d?.bio ?? '',
    }
    return [
      ...EXPERT_COLUMNS.map((c) => byField[c.field]),
      translate('zh-CN', `experts.status.${expert.status}`),
      expert.regionName ?? '全国',
    ]
  })
  return { rows, revealed }
}

export async function exportRoster(
  db: DB,
  request: Request,
  user: AuthUser,
  query: RosterQuery,
  options: { full: boolean },
): Promise<{ body: Buffer; count: number; revealed: number }> {
  const roster = await allRosterRows(db, user, query)
  const { rows, revealed } = await rosterSheetRows(db, user, roster, options)
  const sheet: SheetSpec = { name: '专家', columns: ROSTER_SHEET_COLUMNS, rows }
  const body = await buildWorkbook([sheet])
  await audit(db, request, actorOf(user), {
    action: 'expert.export',
    recordType: 'expert',
    detail: { filter: auditedFilter(query), count: rows.length, full: options.full, revealed },
  })
  return { body, count: rows.length, revealed }
}

/** 专家库导出-2026-11-23.xlsx (China's date). */
export function exportFileName(day = todayInChina()): string {
  return `专家库导出-${day}.xlsx`
}
