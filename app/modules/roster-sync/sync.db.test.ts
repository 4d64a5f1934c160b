/**
 * Roster sync through the real routes: upload, map, preview, apply. Applying is idempotent (the
 * same file twice changes nothing the second time), happens in one transaction (a failure half-way
 * leaves nothing behind), is refused while the file has a broken row or after the data changed
 * since the preview, keeps bureau staff inside their region, and only deactivates missing records
 * when asked. Personal numbers never reach the page data unmasked.
 */
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { idNumberCheckChar } from '#app/lib/personal-numbers.ts'
import { action as runAction, loader as runLoader } from '#app/routes/_app.admin.roster-sync.$runId.tsx'
import { action as uploadAction, loader as indexLoader } from '#app/routes/_app.admin.roster-sync._index.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { HAIDIAN, type World, buildWorld, call, serialized } from '#tests/security/world.ts'
import type { RunView } from './sync.server.ts'

/** Lets a test make the n-th audit write of an apply fail, to prove the transaction rolls back. */
const failing = vi.hoisted(() => ({ afterCalls: -1, calls: 0 }))

vi.mock('#app/lib/audit.server.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('#app/lib/audit.server.ts')>()
  return {
    ...original,
    audit: vi.fn(async (...args: Parameters<typeof original.audit>) => {
      if (failing.afterCalls >= 0 && failing.calls++ >= failing.afterCalls) throw new Error('disk full (simulated)')
      return original.audit(...args)
    }),
  }
})

let world: World
const db = () => testDb()

beforeAll(async () => {
  world = await buildWorld(testDb())
})

const ORG_HEADERS = ['调解组织名称', '统一社会信用代码', '组织类别', '行政区划代码', '办公地址']
const MEDIATOR_HEADERS = ['姓名', '公民身份号码', '手机号码', '所属组织代码', '专兼职']

async function xlsx(headers: string[], rows: string[][]): Promise<File> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('名册')
  sheet.addRow(headers)
  for (const row of rows) sheet.addRow(row)
  return new File([new Uint8Array(await workbook.xlsx.writeBuffer())], 'roster.xlsx')
}

async function upload(cookie: string, file: File, fields: Record<string, string>) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  form.append('file', file)
  return call(uploadAction, '/admin/roster-sync', { cookie, form })
}

async function loadRunView(cookie: string, runId: string) {
  const outcome = await call(runLoader, `/admin/roster-sync/${runId}`, { cookie, params: { runId } })
  expect(outcome.status).toBe(200)
  return outcome as typeof outcome & {
    data: { run: Omit<RunView, 'regionPath'>; mapping: { mapping: Record<string, number | null> } | null }
  }
}

/** Uploads, accepts the suggested mapping and returns the previewed run. */
async function uploadAndPreview(cookie: string, file: File, fields: Record<string, string>, secrets: string[] = []) {
  const uploaded = await upload(cookie, file, fields)
  expect(uploaded.status, JSON.stringify(uploaded.data)).toBe(302)
  const runId = uploaded.location!.split('/').pop()!
  const mapped = await loadRunView(cookie, runId)
  // The mapping page shows sample cells: personal numbers only masked.
  for (const secret of secrets) expect(serialized(mapped)).not.toContain(secret)
  const suggestion = mapped.data.mapping!.mapping
  const form: Record<string, string> = { intent: 'preview' }
  for (const [field, index] of Object.entries(suggestion)) if (index !== null) form[field] = String(index)
  const previewed = await call(runAction, `/admin/roster-sync/${runId}`, { cookie, form, params: { runId } })
  expect(previewed.status, JSON.stringify(previewed.data)).toBe(302)
  return (await loadRunView(cookie, runId)).data.run
}

function apply(cookie: string, run: { id: string; version: number }, deactivateMissing = false) {
  const form: Record<string, string> = { intent: 'apply', version: String(run.version) }
  if (deactivateMissing) form.deactivateMissing = 'on'
  return call(runAction, `/admin/roster-sync/${run.id}`, { cookie, form, params: { runId: run.id } })
}

const id = (first17: string) => `${first17}${idNumberCheckChar(first17)}`

async function orgByCode(sourceName: string, code: string) {
  return db()
    .selectFrom('roster_org_links as l')
    .innerJoin('roster_sources as s', 's.id', 'l.source_id')
    .innerJoin('organisations as o', 'o.id', 'l.org_id')
    .select(['o.id', 'o.name', 'o.kind', 'o.region_code', 'o.address', 'o.status', 'o.version'])
    .where('s.name', '=', sourceName)
    .where('l.code', '=', code)
    .executeTakeFirst()
}

describe(`roster sync of organisations (${testDialect()})`, () => {
  const source = '省调解管理系统'
  const goodRows = [
    ['海淀测试调委会', 'HD-001', '乡镇（街道）人民调解委员会', HAIDIAN, '海淀路1号'],
    ['海淀新调委会', 'HD-002', '村（居）调委会', HAIDIAN, ''],
    ['海淀司法所', 'HD-003', '司法所', '海淀区', '中关村大街2号'],
  ]

  it('refuses to apply a file with a broken row, naming the row, column and reason; nothing is written', async () => {
    const cookie = world.users.hdStaff.cookie
    const rows = [...goodRows, ['朝阳某调委会', 'CY-001', '司法所', '110105', ''], ['无名', 'HD-004', '不存在的类型', HAIDIAN, '']]
    const run = await uploadAndPreview(cookie, await xlsx(ORG_HEADERS, rows), { newSource: source, kind: 'orgs', regionCode: HAIDIAN })
    expect(run.status).toBe('previewed')
    expect(run.counts).toMatchObject({ errors: 2 })
    expect(run.report.errors).toEqual([
      { row: 5, label: '朝阳某调委会', errors: [{ column: '行政区划代码', message: 'rosterSync.error.outOfScope' }] },
      { row: 6, label: '无名', errors: [{ column: '组织类别', message: 'rosterSync.error.kind' }] },
    ])
    const refused = await apply(cookie, run)
    expect(refused.status).toBe(400)
    expect(serialized(refused)).toContain('rosterSync.apply.refusedErrors?count=2')
    expect(await orgByCode(source, 'HD-002')).toBeUndefined()
    expect((await loadRunView(cookie, run.id)).data.run.status).toBe('previewed')
  })

  it('previews new, linked-by-name and changed organisations, applies them once, and the same file again changes nothing', async () => {
    const cookie = world.users.hdStaff.cookie
    const sourceRow = await db().selectFrom('roster_sources').select('id').where('name', '=', source).executeTakeFirstOrThrow()
    const run = await uploadAndPreview(cookie, await xlsx(ORG_HEADERS, goodRows), {
      sourceId: sourceRow.id,
      kind: 'orgs',
      regionCode: HAIDIAN,
    })
    expect(run.counts).toEqual({ created: 2, changed: 1, unchanged: 0, missing: 0, errors: 0 })
    // The existing committee of the same name in Haidian is matched and its code linked.
    const linked = run.report.changed[0]!
    expect(linked).toMatchObject({ key: 'HD-001', link: true })
    expect(linked.changes).toEqual([
      { field: 'kind', before: 'committee_village', after: 'committee_township' },
      { field: 'address', before: null, after: '海淀路1号' },
    ])
    const before = await db()
      .selectFrom('organisations')
      .select('version')
      .where('id', '=', world.orgs.hdCommittee)
      .executeTakeFirstOrThrow()

    const applied = await apply(cookie, run)
    expect(applied.status).toBe(302)
    const first = (await loadRunView(cookie, run.id)).data.run
    expect(first.status).toBe('applied')
    expect(first.applied).toMatchObject({ created: 2, changed: 1, deactivated: 0 })
    expect(await orgByCode(source, 'HD-001')).toMatchObject({
      id: world.orgs.hdCommittee,
      address: '海淀路1号',
      version: before.version + 1,
    })
    expect(await orgByCode(source, 'HD-003')).toMatchObject({
      name: '海淀司法所',
      kind: 'justice_office',
      region_code: HAIDIAN,
      status: 'active',
    })
    const auditRow = await db()
      .selectFrom('audit_log')
      .select(['detail', 'user_id'])
      .where('action', '=', 'roster.apply')
      .where('record_id', '=', run.id)
      .executeTakeFirstOrThrow()
    expect(auditRow.user_id).toBe(world.users.hdStaff.id)
    expect(JSON.parse(auditRow.detail!)).toMatchObject({ kind: 'orgs', created: 2, changed: 1, deactivated: 0, file: 'roster.xlsx' })
    // Each record written has its own audit entry naming the run.
    const createdOrg = (await orgByCode(source, 'HD-003'))!
    const orgAudit = await db()
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'org.create')
      .where('record_id', '=', createdOrg.id)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(orgAudit.detail!)).toMatchObject({ rosterRun: run.id, after: { name: '海淀司法所', kind: 'justice_office' } })

    // The same run cannot be applied twice (a double submit).
    const again = await apply(cookie, first)
    expect(again.status).toBe(302)
    expect(await db().selectFrom('roster_runs').select('applied_new').where('id', '=', run.id).executeTakeFirstOrThrow()).toEqual({
      applied_new: 2,
    })

    // The same file uploaded and applied again: nothing to do, nothing changes.
    const versions = async () =>
      (await db().selectFrom('organisations').select(['id', 'version']).where('region_code', '=', HAIDIAN).orderBy('id').execute()).map(
        (o) => `${o.id}@${o.version}`,
      )
    const snapshot = await versions()
    const orgCount = await db().selectFrom('organisations').select(db().fn.countAll().as('n')).executeTakeFirstOrThrow()
    const second = await uploadAndPreview(cookie, await xlsx(ORG_HEADERS, goodRows), {
      sourceId: sourceRow.id,
      kind: 'orgs',
      regionCode: HAIDIAN,
    })
    expect(second.counts).toEqual({ created: 0, changed: 0, unchanged: 3, missing: 0, errors: 0 })
    expect((await apply(cookie, second)).status).toBe(302)
    expect((await loadRunView(cookie, second.id)).data.run.applied).toMatchObject({ created: 0, changed: 0, deactivated: 0 })
    expect(await versions()).toEqual(snapshot)
    expect(await db().selectFrom('organisations').select(db().fn.countAll().as('n')).executeTakeFirstOrThrow()).toEqual(orgCount)
    // The checksum of identical bytes is identical in the history.
    const history = await call(indexLoader, '/admin/roster-sync', { cookie })
    const runs = (history.data as { history: { rows: { id: string; checksum: string }[] } }).history.rows
    expect(runs.find((r) => r.id === second.id)!.checksum).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses an apply when a record changed after the preview, writes nothing and refreshes the preview', async () => {
    const cookie = world.users.hdStaff.cookie
    const sourceRow = await db().selectFrom('roster_sources').select('id').where('name', '=', source).executeTakeFirstOrThrow()
    const rows = goodRows.map((r) => (r[1] === 'HD-002' ? [r[0]!, r[1]!, r[2]!, r[3]!, '新地址5号'] : r))
    const run = await uploadAndPreview(cookie, await xlsx(ORG_HEADERS, rows), { sourceId: sourceRow.id, kind: 'orgs', regionCode: HAIDIAN })
    expect(run.counts.changed).toBe(1)
    // Someone edits the organisation on its own page in between.
    const org = (await orgByCode(source, 'HD-002'))!
    await db()
      .updateTable('organisations')
      .set({ name: '海淀新调委会（改）', version: org.version + 1 })
      .where('id', '=', org.id)
      .execute()
    const stale = await apply(cookie, run)
    expect(stale.status).toBe(302)
    expect(await orgByCode(source, 'HD-002')).toMatchObject({ name: '海淀新调委会（改）', address: null })
    const refreshed = (await loadRunView(cookie, run.id)).data.run
    expect(refreshed.status).toBe('previewed')
    expect(refreshed.report.changed[0]!.changes).toEqual([
      { field: 'name', before: '海淀新调委会（改）', after: '海淀新调委会' },
      { field: 'address', before: null, after: '新地址5号' },
    ])
    // An apply posted from the old page (old run version) is refused too.
    expect((await apply(cookie, run)).status).toBe(302)
    expect(await orgByCode(source, 'HD-002')).toMatchObject({ address: null })
    const current = (await loadRunView(cookie, run.id)).data.run
    expect((await apply(cookie, current)).status).toBe(302)
    expect((await loadRunView(cookie, run.id)).data.run.status).toBe('applied')
    expect(await orgByCode(source, 'HD-002')).toMatchObject({ name: '海淀新调委会', address: '新地址5号' })
  })

  it('applies in one transaction: a failure half-way persists nothing', async () => {
    const cookie = world.users.hdStaff.cookie
    const sourceRow = await db().selectFrom('roster_sources').select('id').where('name', '=', source).executeTakeFirstOrThrow()
    const rows = [...goodRows, ['海淀甲调委会', 'HD-010', '司法所', HAIDIAN, ''], ['海淀乙调委会', 'HD-011', '司法所', HAIDIAN, '']]
    const run = await uploadAndPreview(cookie, await xlsx(ORG_HEADERS, rows), { sourceId: sourceRow.id, kind: 'orgs', regionCode: HAIDIAN })
    expect(run.counts.created).toBe(2)
    failing.calls = 0
    failing.afterCalls = 1 // the first organisation and its audit row are written, then the second audit fails
    await expect(apply(cookie, run)).rejects.toThrow(/disk full/)
    failing.afterCalls = -1
    expect(await orgByCode(source, 'HD-010')).toBeUndefined()
    expect(await db().selectFrom('organisations').select('id').where('name', '=', '海淀甲调委会').execute()).toEqual([])
    expect((await loadRunView(cookie, run.id)).data.run.status).toBe('previewed')
    expect((await apply(cookie, run)).status).toBe(302)
    expect(await orgByCode(source, 'HD-011')).toMatchObject({ name: '海淀乙调委会' })
  })

  it('applies with an optional column deliberately left unmapped (the field is left alone)', async () => {
    const cookie = world.users.hdStaff.cookie
    const sourceRow = await db().selectFrom('roster_sources').select('id').where('name', '=', source).executeTakeFirstOrThrow()
    const uploaded = await upload(cookie, await xlsx(ORG_HEADERS, [['海淀司法所', 'HD-003', '司法所', HAIDIAN, '']]), {
      sourceId: sourceRow.id,
      kind: 'orgs',
      regionCode: HAIDIAN,
    })
    const runId = uploaded.location!.split('/').pop()!
    const suggestion = (await loadRunView(cookie, runId)).data.mapping!.mapping
    expect(suggestion.address).toBe(4)
    const form: Record<string, string> = { intent: 'preview' }
    for (const [field, index] of Object.entries(suggestion)) if (index !== null && field !== 'address') form[field] = String(index)
    expect((await call(runAction, `/admin/roster-sync/${runId}`, { cookie, form, params: { runId } })).status).toBe(302)
    const run = (await loadRunView(cookie, runId)).data.run
    expect(run.counts).toMatchObject({ changed: 0, unchanged: 1, errors: 0 })
    expect((await apply(cookie, run)).status).toBe(302)
    expect((await loadRunView(cookie, runId)).data.run.status).toBe('applied')
    expect(await orgByCode(source, 'HD-003')).toMatchObject({ address: '中关村大街2号' })
    // The source remembers the mapping without the address for its next file.
    const next = await upload(cookie, await xlsx(ORG_HEADERS, goodRows), { sourceId: sourceRow.id, kind: 'orgs', regionCode: HAIDIAN })
    const nextId = next.location!.split('/').pop()!
    expect((await loadRunView(cookie, nextId)).data.mapping!.mapping.address).toBeNull()
  })

  it('reads .csv (UTF-8 with a byte-order mark, as Excel saves it) the same way and refuses other file types', async () => {
    const cookie = world.users.bjStaff.cookie
    const csv = new TextEncoder().encode(`\uFEFF${ORG_HEADERS.join(',')}\r\n海淀司法所,HD-003,司法所,${HAIDIAN},中关村大街2号\r\n`)
    const run = await uploadAndPreview(cookie, new File([csv], 'roster.csv'), { newSource: '市级来源', kind: 'orgs', regionCode: '110000' })
    // Another source: HD-003 is not linked for it yet, so the organisation is matched by name and linked.
    expect(run.report.changed).toEqual([{ row: 2, key: 'HD-003', label: '海淀司法所', changes: [], link: true }])
    const txt = await upload(cookie, new File(['a,b'], 'roster.txt'), { newSource: '市级来源', kind: 'orgs', regionCode: '110000' })
    expect(txt.status).toBe(400)
    expect(serialized(txt)).toContain('rosterSync.error.type')
  })

  it('keeps staff in their region: another district cannot open the run or sync into Haidian', async () => {
    const runRow = await db().selectFrom('roster_runs').select('id').executeTakeFirstOrThrow()
    const other = await call(runLoader, `/admin/roster-sync/${runRow.id}`, {
      cookie: world.users.cyStaff.cookie,
      params: { runId: runRow.id },
    })
    expect(other.status).toBe(404)
    const mediator = await call(runLoader, `/admin/roster-sync/${runRow.id}`, {
      cookie: world.users.mediator.cookie,
      params: { runId: runRow.id },
    })
    expect(mediator.status).toBe(403)
    const outcome = await upload(world.users.cyStaff.cookie, await xlsx(ORG_HEADERS, goodRows), {
      newSource: '另一来源',
      kind: 'orgs',
      regionCode: HAIDIAN,
    })
    expect(outcome.status).toBe(400)
    expect(serialized(outcome)).toContain('rosterSync.error.regionOutOfScope')
    const history = await call(indexLoader, '/admin/roster-sync', { cookie: world.users.cyStaff.cookie })
    expect((history.data as { history: { total: number } }).history.total).toBe(0)
  })
})

describe(`roster sync of mediators (${testDialect()})`, () => {
  const source = '省调解管理系统'
  const newcomer = id('11010819900101003')

  it('matches by the ID hash, masks numbers in the preview, reports missing mediators and deactivates them only when asked', async () => {
    const cookie = world.users.hdStaff.cookie
    const sourceRow = await db().selectFrom('roster_sources').select('id').where('name', '=', source).executeTakeFirstOrThrow()
    const known = world.people.hdMediator // full-time in 海淀测试调委会 (HD-001)
    const rows = [
      [known.name, known.idNumber!, '13912345678', 'HD-001', '兼职'],
      ['新调解员', newcomer, '13700001111', 'HD-002', '专职'],
    ]
    const secrets = [known.idNumber!, newcomer, '13912345678', '13700001111']
    const run = await uploadAndPreview(
      cookie,
      await xlsx(MEDIATOR_HEADERS, rows),
      { sourceId: sourceRow.id, kind: 'mediators', regionCode: HAIDIAN },
      secrets,
    )
    expect(run.counts).toEqual({ created: 1, changed: 1, unchanged: 0, missing: 1, errors: 0 })
    expect(run.report.changed[0]!.changes).toEqual([
      { field: 'phone', before: known.phone_masked, after: '139****5678' },
      { field: 'employment', before: 'full_time', after: 'part_time' },
    ])
    // hdMediator2 works in the same linked committee and is not in the file.
    expect(run.report.missing).toEqual([{ key: world.people.hdMediator2.id_number_masked, label: world.people.hdMediator2.name }])
    const page = await loadRunView(cookie, run.id)
    for (const secret of secrets) expect(serialized(page)).not.toContain(secret)

    expect((await apply(cookie, run)).status).toBe(302)
    const created = await db()
      .selectFrom('people as p')
      .innerJoin('mediators as m', 'm.person_id', 'p.id')
      .select(['p.name', 'p.id_number_enc', 'p.phone_masked', 'p.region_code', 'p.gender', 'm.employment', 'm.status'])
      .where('p.id_number_hash', '=', lookupHash('id', newcomer))
      .executeTakeFirstOrThrow()
    expect(created).toMatchObject({
      name: '新调解员',
      phone_masked: '137****1111',
      region_code: HAIDIAN,
      gender: 'male',
      employment: 'full_time',
      status: 'active',
    })
    expect(created.id_number_enc).not.toContain(newcomer)
    const updated = await db().selectFrom('mediators').select(['employment']).where('person_id', '=', known.id).executeTakeFirstOrThrow()
    expect(updated.employment).toBe('part_time')
    const missing = await db()
      .selectFrom('mediators')
      .select('status')
      .where('person_id', '=', world.people.hdMediator2.id)
      .executeTakeFirstOrThrow()
    expect(missing.status).toBe('active')

    // Again, now ticking "deactivate missing": the only change is hdMediator2 becoming inactive.
    const second = await uploadAndPreview(cookie, await xlsx(MEDIATOR_HEADERS, rows), {
      sourceId: sourceRow.id,
      kind: 'mediators',
      regionCode: HAIDIAN,
    })
    expect(second.counts).toEqual({ created: 0, changed: 0, unchanged: 2, missing: 1, errors: 0 })
    expect((await apply(cookie, second, true)).status).toBe(302)
    expect((await loadRunView(cookie, second.id)).data.run.applied).toMatchObject({ created: 0, changed: 0, deactivated: 1 })
    expect(
      await db().selectFrom('mediators').select('status').where('person_id', '=', world.people.hdMediator2.id).executeTakeFirstOrThrow(),
    ).toEqual({ status: 'inactive' })
    const third = await uploadAndPreview(cookie, await xlsx(MEDIATOR_HEADERS, rows), {
      sourceId: sourceRow.id,
      kind: 'mediators',
      regionCode: HAIDIAN,
    })
    expect(third.counts).toEqual({ created: 0, changed: 0, unchanged: 2, missing: 0, errors: 0 })
  })

  it('treats a mediator registered in another district as an error for district staff', async () => {
    const cookie = world.users.hdStaff.cookie
    const sourceRow = await db().selectFrom('roster_sources').select('id').where('name', '=', source).executeTakeFirstOrThrow()
    const cy = world.people.cyMediator
    const run = await uploadAndPreview(cookie, await xlsx(MEDIATOR_HEADERS, [[cy.name, cy.idNumber!, '', 'HD-001', '兼职']]), {
      sourceId: sourceRow.id,
      kind: 'mediators',
      regionCode: HAIDIAN,
    })
    expect(run.report.errors).toEqual([{ row: 2, label: cy.name, errors: [{ column: '', message: 'rosterSync.error.personOutOfScope' }] }])
    expect((await apply(cookie, run)).status).toBe(400)
    expect(await db().selectFrom('mediators').select('org_id').where('person_id', '=', cy.id).executeTakeFirstOrThrow()).toEqual({
      org_id: world.orgs.cyCommittee,
    })
  })
})
