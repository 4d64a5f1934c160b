/**
 * The exports that run as background jobs: for each kind, who may run it (checked when the job is
 * created, again when the worker starts it and again at download), its parameters from the list's
 * URL, and its rows read in keyset batches. The files look as they did when built in the request
 * (title rows, 序号, Chinese headers, text cells, masked numbers unless allowed).
 */
import { decrypt } from '#app/lib/crypto.server.ts'
import { keysetBeyond } from '#app/lib/keyset.server.ts'
import { type MessageKey, translate } from '#app/lib/i18n.ts'
import { todayInChina } from '#app/lib/time.ts'
import { exportHeading } from '#app/lib/xlsx/write.server.ts'
import { scopeFor } from '#app/modules/auth/authz.server.ts'
import { allows, hasPermission } from '#app/modules/auth/policy.ts'
import {
  ROSTER_SHEET_COLUMNS,
  auditedFilter as rosterAuditedFilter,
  rosterPages,
  rosterSheetRows,
} from '#app/modules/experts/export.server.ts'
import { parseRosterQuery } from '#app/modules/experts/roster.ts'
import { expertViewScope } from '#app/modules/experts/scope.ts'
import { parsePeopleFilters } from '#app/modules/people/filters.ts'
import { mediatorListBase } from '#app/modules/people/people.server.ts'
import { LIST_EXPORT_MAX, exporterName, filterText } from '#app/modules/stats/lists.server.ts'
import type { ExpertsRegisterParams, JobKind, PeopleRegisterParams } from './kinds.ts'
import { type ExportKind, narrowing, searchOf } from './exports/shared.server.ts'
// @cases-orgs-imports
import { casesList } from './exports/cases.server.ts'
import { orgsList } from './exports/orgs.server.ts'
// @audit-compliance-imports
import { auditLog } from './exports/audit.server.ts'
import { trainingCompliance } from './exports/compliance.server.ts'

const zh = (key: string, params?: Record<string, string | number>) => translate('zh-CN', key as MessageKey, params)

// The kinds' contract and shared helpers live in ./exports/shared.server.ts (kinds in their own
// files import them from there, not from this registry: no import cycle).
export { type ExportKind, type PreparedExport, narrowing, searchOf } from './exports/shared.server.ts'

// 调解员名册 -----------------------------------------------------------------------------------

/** Sort columns without nulls can be read in keyset batches; the others fall back to the name. */
const PEOPLE_KEYSET = { name: 'p.name', org: 'o.name', region: 'r.path', employment: 'm.employment' } as const

const peopleRegister: ExportKind<'people.register'> = {
  kind: 'people.register',
  listPath: '/people',
  startPath: '/people/register.xlsx',
  audit: { action: 'people.register_export', recordType: 'person' },
  revealPermission: 'person:reveal',
  paramsFromUrl(url, full) {
    const f = parsePeopleFilters(url)
    return { region: f.region, org: f.org, employment: f.employment, status: f.status, q: f.q, sort: f.sort, dir: f.dir, full }
  },
  allowed(user, params) {
    if (!hasPermission(user, 'person:view')) return false
    // A register is a list: users whose reach is their own record (mediators, experts) have none.
    const scope = scopeFor(user, 'person:view')
    if (!scope.everything && !scope.regionPaths.length && !scope.orgIds.length) return false
    return !params.full || hasPermission(user, 'person:reveal')
  },
  async prepare(db, user, params: PeopleRegisterParams) {
    const filters = parsePeopleFilters(searchOf(params))
    const base = await mediatorListBase(db, scopeFor(user, 'person:view'), filters)
    const counted = Number((await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
    const total = Math.min(counted, LIST_EXPORT_MAX)
    const column = filters.sort in PEOPLE_KEYSET ? PEOPLE_KEYSET[filters.sort as keyof typeof PEOPLE_KEYSET] : PEOPLE_KEYSET.name
    const dir = filters.sort in PEOPLE_KEYSET ? filters.dir : 'asc'
    const description = await filterText(db, [
      ['地区', filters.region, 'region'],
      ['组织', filters.org, 'org'],
      ['专兼职', filters.employment ? zh(`people.employment.${filters.employment}`) : null],
      ['状态', filters.status ? zh(`people.status.${filters.status}`) : null],
      ['搜索', filters.q],
    ])
    let count = 0
    let revealed = 0
    return {
      sheet: {
        name: '调解员名册',
        title: exportHeading({ title: '人民调解员名册', filter: description, user: exporterName(user) }),
        serial: true,
        columns: [
          { header: '姓名', width: 10 },
          { header: '性别', width: 6 },
          { header: '出生日期', width: 12, text: true },
          { header: '身份证号', width: 22, text: true },
          { header: '手机号', width: 14, text: true },
          { header: '所属调委会', width: 30 },
          { header: '所在地区', width: 12 },
          { header: '专兼职', width: 8 },
          { header: '工作证号', width: 20, text: true },
          { header: '从事调解工作起始日期', width: 14, text: true },
          { header: '状态', width: 8 },
        ],
      },
      fileName: `调解员名册-${todayInChina()}.xlsx`,
      total: () => total,
      async *batches(batchSize) {
        const readBatch = (after: { at: string; id: string } | null, limit: number) =>
          base
            .select([
              'p.id',
              'p.name',
              'p.gender',
              'p.birth_date',
              'p.id_number_masked',
              'p.phone_masked',
              'o.id as org_id',
              'o.name as org_name',
              'r.name as region_name',
              'r.path as region_path',
              'm.employment',
              'm.card_number',
              'm.started_on',
              'm.status',
              `${column} as sort_key`,
            ])
            // Sealed numbers are read only when they may be shown.
            .$if(params.full, (q) => q.select(['p.id_number_enc', 'p.phone_enc']))
            .$if(after !== null, (q) => q.where(keysetBeyond(column, 'p.id', after!, dir)))
            .orderBy(column, dir)
            .orderBy('p.id', dir)
            .limit(limit)
            .execute()
        let cursor: { at: string; id: string } | null = null
        while (count < total) {
          const rows = await readBatch(cursor, Math.min(batchSize, total - count))
          if (!rows.length) return
          const last = rows[rows.length - 1]!
          cursor = { at: String(last.sort_key), id: last.id }
          count += rows.length
          yield rows.map((r) => {
            const sealed = r as typeof r & { id_number_enc?: string | null; phone_enc?: string | null }
            const reveal = params.full && allows(user, 'person:reveal', { regionPath: r.region_path, orgId: r.org_id, personId: r.id })
            if (reveal) revealed++
            return [
              r.name,
              r.gender ? zh(`people.gender.${r.gender}`) : '',
              r.birth_date ?? '',
              reveal && sealed.id_number_enc ? decrypt(sealed.id_number_enc) : (r.id_number_masked ?? ''),
              reveal && sealed.phone_enc ? decrypt(sealed.phone_enc) : (r.phone_masked ?? ''),
              r.org_name,
              r.region_name,
              zh(`people.employment.${r.employment}`),
              r.card_number ?? '',
              r.started_on ?? '',
              zh(`people.status.${r.status}`),
            ]
          })
          if (rows.length < batchSize) return
        }
      },
      detail: () => ({ filter: narrowing(params), count, full: params.full, revealed }),
    }
  },
}

// 专家名册 -------------------------------------------------------------------------------------

const expertsRegister: ExportKind<'experts.register'> = {
  kind: 'experts.register',
  listPath: '/experts',
  startPath: '/experts/register.xlsx',
  audit: { action: 'expert.export', recordType: 'expert' },
  revealPermission: 'expert:reveal',
  paramsFromUrl(url, full) {
    const q = parseRosterQuery(url)
    return {
      q: q.q,
      tier: q.tier,
      // The register is of the experts in office unless the URL names another status.
      status: q.status ?? 'active',
      region: q.region,
      domain: q.domain,
      specialty: q.specialty,
      term: q.term,
      mine: q.mine,
      sort: q.sort,
      dir: q.dir,
      full,
    }
  },
  allowed(user, params) {
    if (!hasPermission(user, 'expert:view')) return false
    // Staff who list the roster; an expert (own profile only) has no roster to export.
    const view = expertViewScope(user)
    if (!view.everything && !view.subtreePaths.length) return false
    return !params.full || hasPermission(user, 'expert:reveal')
  },
  async prepare(db, user, params: ExpertsRegisterParams) {
    const query = parseRosterQuery(searchOf(params))
    let total: number | null = null
    let count = 0
    let revealed = 0
    return {
      sheet: { name: '专家', columns: ROSTER_SHEET_COLUMNS },
      fileName: `专家名册-${todayInChina()}.xlsx`,
      total: () => total,
      async *batches(batchSize) {
        for await (const page of rosterPages(db, user, query, batchSize)) {
          total = page.total
          const sheet = await rosterSheetRows(db, user, page.rows, { full: params.full })
          count += sheet.rows.length
          revealed += sheet.revealed
          yield sheet.rows
        }
      },
      detail: () => ({ filter: rosterAuditedFilter(query), count, full: params.full, revealed }),
    }
  },
}

const KINDS: { [K in JobKind]: ExportKind<K> } = {
  'people.register': peopleRegister,
  'experts.register': expertsRegister,
  // @cases-orgs-kinds (issue 9 helper: cases.list and orgs.list, implemented in ./exports/*.server.ts)
  'cases.list': casesList,
  'orgs.list': orgsList,
  // @audit-compliance-kinds (issue 9 helper: audit.log and training.compliance, implemented in ./exports/*.server.ts)
  'audit.log': auditLog,
  'training.compliance': trainingCompliance,
}

export function exportKind<K extends JobKind>(kind: K): ExportKind<K> {
  return KINDS[kind] as ExportKind<K>
}
