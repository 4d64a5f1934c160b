/** Plans and the compliance report through the real routes: required vs earned, who is behind, scope. */
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import * as complianceRoute from '#app/routes/_app.training.compliance.tsx'
import * as plansRoute from '#app/routes/_app.training.plans.tsx'
import { createTrainingRecord } from '#tests/fixtures/factories.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { buildWorld, call, HAIDIAN, type World } from '#tests/security/world.ts'
import { complianceSummary, orgCompliance } from './compliance.server.ts'

let world: World
const YEAR = Number(todayInChina().slice(0, 4))

async function addRecord(
  personId: string,
  tenths: number,
  kind: 'pre_service' | 'annual',
  year = YEAR,
  status: 'approved' | 'pending' = 'approved',
) {
  await createTrainingRecord(testDb(), { person_id: personId, hours_tenths: tenths, kind, year, status })
}

beforeAll(async () => {
  world = await buildWorld(testDb())
  const db = testDb()
  // hdMediator: full-time, 30 of 40 hours, pre-service done → behind on hours.
  await addRecord(world.people.hdMediator.id, 240, 'pre_service', YEAR - 2)
  await addRecord(world.people.hdMediator.id, 300, 'annual')
  await addRecord(world.people.hdMediator.id, 200, 'annual', YEAR, 'pending')
  // hdMediator2: part-time, 20 of 20 hours, appointed long ago without pre-service → behind (overdue).
  await addRecord(world.people.hdMediator2.id, 200, 'annual')
  await db
    .updateTable('mediators')
    .set({ started_on: `${YEAR - 1}-01-10` })
    .where('person_id', '=', world.people.hdMediator2.id)
    .execute()
})

describe(`training plans and compliance (${testDialect()})`, () => {
  it('reports “no plan” until a plan exists; a district plan then applies to its committees', async () => {
    const before = await call(complianceRoute.loader, '/training/compliance', { cookie: world.users.hdStaff.cookie })
    const lines = (before.data as { summary: { orgId: string; hasPlan: boolean }[] }).summary
    expect(lines.find((l) => l.orgId === world.orgs.hdCommittee)?.hasPlan).toBe(false)

    const form = {
      year: String(YEAR),
      regionCode: HAIDIAN,
      fullTimeHours: '40',
      partTimeHours: '20',
      sectorHours: '30',
      preServiceMonths: '3',
    }
    const created = await call(plansRoute.action, '/training/plans', { cookie: world.users.hdStaff.cookie, form })
    expect(created.status).toBe(302)
    const again = await call(plansRoute.action, '/training/plans', { cookie: world.users.hdStaff.cookie, form })
    expect(JSON.stringify(again.data)).toContain('training.plan.exists')
    const foreign = await call(plansRoute.action, '/training/plans', { cookie: world.users.cyStaff.cookie, form })
    expect(JSON.stringify(foreign.data)).toContain('validation.choice')
    expect(await testDb().selectFrom('training_plans').selectAll().where('year', '=', YEAR).execute()).toHaveLength(1)
  })

  it('lists who is behind in an organisation: hours missing, or pre-service overdue', async () => {
    const outcome = await call(complianceRoute.loader, `/training/compliance?org=${world.orgs.hdCommittee}`, {
      cookie: world.users.hdManager.cookie,
    })
    expect(outcome.status).toBe(200)
    const report = (outcome.data as { report: { mediators: { personId: string }[] } }).report
    const byPerson = new Map(report.mediators.map((m) => [m.personId, m]))
    expect(byPerson.get(world.people.hdMediator.id)).toMatchObject({
      category: 'full_time',
      required: 40,
      earned: 30,
      missing: 10,
      behind: true,
      preService: 'done',
    })
    expect(byPerson.get(world.people.hdMediator2.id)).toMatchObject({
      category: 'part_time',
      required: 20,
      earned: 20,
      missing: 0,
      behind: true,
      preService: 'overdue',
    })

    const summary = await call(complianceRoute.loader, '/training/compliance', { cookie: world.users.hdStaff.cookie })
    const line = (summary.data as { summary: { orgId: string }[] }).summary.find((l) => l.orgId === world.orgs.hdCommittee)
    expect(line).toMatchObject({ mediators: 2, behind: 2, preServiceOverdue: 1, hasPlan: true })
    // The administrator's report (every mediator, grouped joins) agrees with the scoped one.
    const all = await call(complianceRoute.loader, '/training/compliance', { cookie: world.users.admin.cookie })
    const same = (all.data as { summary: { orgId: string }[] }).summary.find((l) => l.orgId === world.orgs.hdCommittee)
    expect(same).toEqual(line)
  })

  it('answers 404 for an organisation out of scope, and 403 to mediators', async () => {
    const foreign = await call(complianceRoute.loader, `/training/compliance?org=${world.orgs.hdCommittee}`, {
      cookie: world.users.cyStaff.cookie,
    })
    expect(foreign.status).toBe(404)
    const otherOrg = await call(complianceRoute.loader, `/training/compliance?org=${world.orgs.hdCommittee2}`, {
      cookie: world.users.hdManager.cookie,
    })
    expect(otherOrg.status).toBe(404)
    const mediator = await call(complianceRoute.loader, '/training/compliance', { cookie: world.users.mediator.cookie })
    expect(mediator.status).toBe(403)
    const cySummary = await call(complianceRoute.loader, '/training/compliance', { cookie: world.users.cyStaff.cookie })
    expect((cySummary.data as { summary: { orgId: string }[] }).summary.map((l) => l.orgId)).not.toContain(world.orgs.hdCommittee)
  })

  it('the all-organisations summary (judged in SQL) agrees with each organisation’s own report (judged in JS)', async () => {
    const db = testDb()
    const now = new Date().toISOString()
    // An organisation's own plan overrides the district's; a sector committee uses the sector hours.
    await db
      .insertInto('training_plans')
      .values({
        id: newId(),
        year: YEAR,
        scope_key: `org:${world.orgs.hdCommittee2}`,
        region_code: HAIDIAN,
        org_id: world.orgs.hdCommittee2,
        full_time_tenths: 10,
        part_time_tenths: 10,
        sector_tenths: 10,
        pre_service_months: 1,
        version: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await db.updateTable('organisations').set({ kind: 'committee_sector' }).where('id', '=', world.orgs.hdCommittee).execute()
    await addRecord(world.people.hdOther.id, 10, 'annual')
    await db
      .updateTable('mediators')
      .set({ started_on: `${YEAR - 3}-02-28` })
      .where('person_id', '=', world.people.hdOther.id)
      .execute()
    const today = todayInChina()
    const summary = await complianceSummary(db, { everything: true, regionPaths: [], orgIds: [], personIds: [] }, YEAR, today)
    expect(summary.length).toBeGreaterThanOrEqual(3)
    for (const line of summary) {
      const report = (await orgCompliance(db, line.orgId, YEAR, today))!
      expect(line, line.orgName).toEqual({
        orgId: line.orgId,
        orgName: report.org.name,
        mediators: (
          await db.selectFrom('mediators').select('person_id').where('org_id', '=', line.orgId).where('status', '=', 'active').execute()
        ).length,
        behind: report.mediators.filter((m) => m.behind).length,
        preServiceOverdue: report.mediators.filter((m) => m.preService === 'overdue').length,
        hasPlan: !!report.plan,
      })
    }
    const other = summary.find((l) => l.orgId === world.orgs.hdCommittee2)
    expect(other).toMatchObject({ hasPlan: true, behind: 1, preServiceOverdue: 1 })
  })
})
