import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { audit } from '#app/lib/audit.server.ts'
import { newId } from '#app/lib/ids.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { migrateToLatest } from './migrate.ts'
import type { Database, DisputeTypeTable, OrganisationTable, SettingTable } from './schema.ts'

// Every table of the Database interface; `satisfies` makes the compiler insist a new table is listed.
const TABLES = {
  regions: true,
  organisations: true,
  dispute_types: true,
  people: true,
  mediators: true,
  users: true,
  role_grants: true,
  sessions: true,
  setup_tokens: true,
  sign_in_throttle: true,
  audit_log: true,
  settings: true,
  submission_keys: true,
  experts: true,
  expert_domains: true,
  expert_terms: true,
  expert_status_changes: true,
  expert_unavailability: true,
  expert_conflicts: true,
  expert_recommendations: true,
  mdx_cache: true,
  training_progress: true,
  training_records: true,
  training_certificates: true,
  training_sessions: true,
  training_plans: true,
  drill_attempts: true,
  drill_grades: true,
  drill_events: true,
  library_submissions: true,
  library_submission_versions: true,
  library_reviews: true,
  library_bookmarks: true,
  library_notes: true,
  cases: true,
  case_parties: true,
  case_consultations: true,
  expert_loads: true,
  case_recommendations: true,
  match_configs: true,
  case_decisions: true,
  expert_import_batches: true,
  grading_configs: true,
  grading_rounds: true,
  grading_round_events: true,
  mediator_case_stats: true,
  grading_applications: true,
  grading_attachments: true,
  grading_panel_members: true,
  grading_reviewer_conflicts: true,
  grading_assignments: true,
  grading_calibrations: true,
  grading_objections: true,
  mediator_grades: true,
  grade_certificates: true,
  api_clients: true,
  api_referrals: true,
  // @directory-tables
  organisation_dispute_types: true,
  directory_mediator_preferences: true,
  // @api-tables
  api_access_tokens: true,
  api_rate_windows: true,
  // @webhooks-tables
  webhook_events: true,
  webhook_deliveries: true,
  webhook_attempts: true,
  // @roster-tables
  roster_sources: true,
  roster_org_links: true,
  roster_runs: true,
  // @twofactor-tables
  user_two_factor: true,
  two_factor_recovery_codes: true,
  two_factor_pending: true,
  // @reliability-tables
  // @retention-tables
  // @jobs-tables
  background_jobs: true,
  // @figures-tables
  training_figure_runs: true,
  training_org_figures: true,
  training_org_course_figures: true,
  grade_region_figures: true,
} satisfies Record<keyof Database, true>

describe(`migrations (${testDialect()})`, () => {
  it('create every table of db/schema.ts', async () => {
    const tables = await testDb().introspection.getTables()
    const names = tables.map((t) => t.name)
    expect(names).toEqual(expect.arrayContaining(Object.keys(TABLES)))
  })

  it('are all applied already, so migrating again changes nothing', async () => {
    expect(await migrateToLatest(testDb())).toEqual([])
  })
})

describe(`stored values come back identical (${testDialect()})`, () => {
  it('round-trips a settings row: JSON text, integer, instant and null', async () => {
    const db = testDb()
    const row: SettingTable = {
      key: 'sessions.idle',
      value: JSON.stringify({ minutes: 30, note: '闲置超时', nested: { list: [1, 'two', null, true] } }),
      version: 3,
      updated_at: '2026-11-23T08:00:00.123Z',
      updated_by: null,
    }
    await db.insertInto('settings').values(row).execute()
    const back = await db.selectFrom('settings').selectAll().where('key', '=', row.key).executeTakeFirstOrThrow()
    expect(back).toStrictEqual(row)
    expect(JSON.parse(back.value)).toEqual({ minutes: 30, note: '闲置超时', nested: { list: [1, 'two', null, true] } })
  })

  it('compares text case-sensitively on both dialects', async () => {
    const db = testDb()
    await db
      .insertInto('settings')
      .values({ key: 'Case.Key', value: '{}', version: 1, updated_at: '2026-11-23T08:00:00.000Z', updated_by: null })
      .execute()
    const lower = await db.selectFrom('settings').select('key').where('key', '=', 'case.key').execute()
    expect(lower).toEqual([])
  })

  it('round-trips an organisation row: app-made id, Chinese text, timestamps, nulls', async () => {
    const db = testDb()
    await db
      .insertInto('regions')
      .values([
        { code: '110000', name: '北京市', level: 'province', parent_code: null, path: '/110000/', sort: 0 },
        { code: '110108', name: '海淀区', level: 'district', parent_code: '110000', path: '/110000/110108/', sort: 1 },
      ])
      .execute()
    const bureau: OrganisationTable = {
      id: newId(),
      name: '北京市海淀区司法局',
      kind: 'justice_bureau',
      sector_code: null,
      region_code: '110108',
      parent_id: null,
      address: '北京市海淀区某路 1 号',
      contact_phone: '010-12345678',
      services: null,
      opening_hours: null,
      status: 'active',
      version: 1,
      created_at: '2026-11-23T08:00:00.000Z',
      updated_at: '2026-11-23T08:00:00.001Z',
    }
    const committee: OrganisationTable = {
      ...bureau,
      id: newId(),
      name: '某街道人民调解委员会',
      kind: 'committee_township',
      parent_id: bureau.id,
      address: null,
      contact_phone: null,
    }
    await db.insertInto('organisations').values([bureau, committee]).execute()
    const back = await db.selectFrom('organisations').selectAll().orderBy('id').execute()
    // Both ids may share their millisecond; then the random part orders them, identically on both dialects.
    expect(back).toStrictEqual([bureau, committee].sort((a, b) => (a.id < b.id ? -1 : 1)))
  })

  it('round-trips flags as the numbers 0 and 1', async () => {
    const db = testDb()
    const types: DisputeTypeTable[] = [
      { code: 'family', name_zh: '婚姻家庭', name_en: 'Marriage and family', category: 'standard', sort: 1, active: 1 },
      { code: 'medical', name_zh: '医疗纠纷', name_en: 'Medical', category: 'sector', sort: 2, active: 0 },
    ]
    await db.insertInto('dispute_types').values(types).execute()
    const back = await db.selectFrom('dispute_types').selectAll().orderBy('sort').execute()
    expect(back).toStrictEqual(types)
  })

  it('enforces foreign keys', async () => {
    const db = testDb()
    const orphan = db
      .insertInto('regions')
      .values({ code: '999999', name: '无', level: 'district', parent_code: '000000', path: '/000000/999999/', sort: 0 })
      .execute()
    await expect(orphan).rejects.toThrow(/foreign key/i)
  })
})

describe(`audit_log is append-only (${testDialect()})`, () => {
  it('accepts inserts and refuses UPDATE and DELETE', async () => {
    const db = testDb()
    const request = makeRequest('/admin/users', { form: { intent: 'create' } })
    await audit(
      db,
      request,
      { userId: null, username: 'admin', roles: 'admin', scope: null },
      {
        action: 'user.create',
        recordType: 'user',
        recordId: 'U-TEST',
        detail: { username: 'hd.staff' },
      },
    )
    const [row] = await db.selectFrom('audit_log').selectAll().execute()
    expect(row).toMatchObject({ action: 'user.create', ip: '127.0.0.1', result: 'ok', record_id: 'U-TEST' })
    expect(JSON.parse(row!.detail!)).toEqual({ username: 'hd.staff' })

    await expect(db.updateTable('audit_log').set({ result: 'failed' }).execute()).rejects.toThrow(/append-only/)
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/)
    // Not even raw SQL gets past the triggers.
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/)

    expect(await db.selectFrom('audit_log').selectAll().execute()).toStrictEqual([row])
  })
})
