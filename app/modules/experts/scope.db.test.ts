/**
 * Scope of the expert pool through the real loaders and actions: who sees which experts, who may
 * change them (only the appointing body), higher tiers read-only below, refusals audited, and
 * full numbers only through the audited reveal.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { action as detailAction, loader as detailLoader } from '#app/routes/_app.experts.$expertId._index.tsx'
import { action as editAction } from '#app/routes/_app.experts.$expertId.edit.tsx'
import { action as statusAction } from '#app/routes/_app.experts.$expertId.status.tsx'
import { loader as rosterLoader } from '#app/routes/_app.experts._index.tsx'
import { loader as meLoader } from '#app/routes/_app.me.expert.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type Pool, buildPool } from '#tests/experts/world.ts'
import { call, serialized } from '#tests/security/world.ts'

let pool: Pool

beforeAll(async () => {
  pool = await buildPool(testDb())
})

const ids = (outcome: { data: unknown }) => ((outcome.data as { rows: { personId: string }[] }).rows ?? []).map((r) => r.personId).sort()

async function lastAudit(action: string) {
  return testDb().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirst()
}

describe(`expert pool scope (${testDialect()})`, () => {
  it('lists a district its own experts plus the higher tiers above it, never a neighbour’s', async () => {
    const { haidian, chaoyang, municipal, national } = pool.experts
    const hd = await call(rosterLoader, '/experts', { cookie: pool.users.hdStaff.cookie })
    expect(hd.status).toBe(200)
    expect(ids(hd)).toEqual([haidian, municipal, national].map((e) => e.expert.person_id).sort())
    expect(ids(hd)).not.toContain(chaoyang.expert.person_id)
    const bj = await call(rosterLoader, '/experts', { cookie: pool.users.bjStaff.cookie })
    expect(ids(bj)).toEqual([haidian, chaoyang, municipal, national].map((e) => e.expert.person_id).sort())
    const manager = await call(rosterLoader, '/experts', { cookie: pool.users.hdManager.cookie })
    expect(ids(manager)).toEqual([haidian, municipal, national].map((e) => e.expert.person_id).sort())
  })

  it('marks higher-tier experts read-only for the district and lets only their body edit', async () => {
    const hd = await call(rosterLoader, '/experts', { cookie: pool.users.hdStaff.cookie })
    const rows = (hd.data as { rows: { personId: string; editable: boolean }[] }).rows
    const editable = Object.fromEntries(rows.map((r) => [r.personId, r.editable]))
    expect(editable[pool.experts.haidian.expert.person_id]).toBe(true)
    expect(editable[pool.experts.municipal.expert.person_id]).toBe(false)

    const id = pool.experts.municipal.expert.person_id
    const page = await call(detailLoader, `/experts/${id}`, { cookie: pool.users.hdStaff.cookie, params: { expertId: id } })
    expect(page.status).toBe(200)
    expect((page.data as { access: { edit: boolean; view: boolean } }).access).toMatchObject({ view: true, edit: false })
  })

  it('refuses an edit across scope: 403 where the expert is visible, 404 where not, both audited', async () => {
    const municipal = pool.experts.municipal.expert
    const form = { status: 'suspended', reason: '越权尝试', version: 1 }
    const fromBelow = await call(statusAction, `/experts/${municipal.person_id}/status`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: municipal.person_id },
      form,
    })
    expect(fromBelow.status).toBe(403)
    expect(await lastAudit('authz.forbidden')).toMatchObject({
      record_id: municipal.person_id,
      user_id: pool.users.hdStaff.id,
      result: 'denied',
    })

    const haidian = pool.experts.haidian.expert
    const fromNeighbour = await call(editAction, `/experts/${haidian.person_id}/edit`, {
      cookie: pool.users.cyStaff.cookie,
      params: { expertId: haidian.person_id },
      form: { name: '改名' },
    })
    expect(fromNeighbour.status).toBe(404)
    expect(await lastAudit('authz.out_of_scope')).toMatchObject({ record_id: haidian.person_id, user_id: pool.users.cyStaff.id })

    // The city above sees the district's expert but is not its appointing body.
    const fromAbove = await call(statusAction, `/experts/${haidian.person_id}/status`, {
      cookie: pool.users.bjStaff.cookie,
      params: { expertId: haidian.person_id },
      form,
    })
    expect(fromAbove.status).toBe(403)
    const after = await testDb()
      .selectFrom('experts')
      .select(['status', 'version'])
      .where('person_id', 'in', [municipal.person_id, haidian.person_id])
      .execute()
    expect(after.every((e) => e.status === 'active' && e.version === 1)).toBe(true)
  })

  it('answers 403 to those without the permission at all', async () => {
    const id = pool.experts.haidian.expert.person_id
    const outcome = await call(detailLoader, `/experts/${id}`, { cookie: pool.users.noGrants.cookie, params: { expertId: id } })
    expect(outcome.status).toBe(403)
  })

  it('sends masked numbers only, and reveals the full number by an audited action in scope', async () => {
    const { haidian, municipal } = pool.experts
    const page = await call(detailLoader, `/experts/${haidian.expert.person_id}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: haidian.expert.person_id },
    })
    const body = serialized(page)
    expect(body).toContain(haidian.person!.id_number_masked!)
    expect(body).not.toContain(haidian.person!.idNumber!)
    expect(body).not.toContain(haidian.person!.phone!)
    const roster = serialized(await call(rosterLoader, '/experts', { cookie: pool.users.bjStaff.cookie }))
    for (const e of Object.values(pool.experts)) {
      expect(roster).not.toContain(e.person!.idNumber!)
      expect(roster).not.toContain(e.person!.phone!)
    }

    const revealed = await call(detailAction, `/experts/${haidian.expert.person_id}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: haidian.expert.person_id },
      form: { intent: 'reveal', field: 'idNumber' },
    })
    expect(revealed.status).toBe(200)
    expect((revealed.data as { revealed: { value: string } }).revealed.value).toBe(haidian.person!.idNumber)
    const entry = await lastAudit('expert.reveal')
    expect(entry).toMatchObject({ record_id: haidian.expert.person_id, user_id: pool.users.hdStaff.id, result: 'ok' })
    expect(entry!.detail).toContain(haidian.person!.id_number_masked!)
    expect(entry!.detail).not.toContain(haidian.person!.idNumber!)

    // A higher-tier expert seen from below stays masked.
    const refused = await call(detailAction, `/experts/${municipal.expert.person_id}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: municipal.expert.person_id },
      form: { intent: 'reveal', field: 'phone' },
    })
    expect(refused.status).toBe(403)
    expect(serialized(refused)).not.toContain(municipal.person!.phone!)
  })

  it('shows an expert their own profile and nobody else’s', async () => {
    const me = await call(meLoader, '/me/expert', { cookie: pool.users.expert.cookie })
    expect(me.status).toBe(200)
    expect((me.data as { expert: { personId: string } }).expert.personId).toBe(pool.experts.haidian.expert.person_id)
    const other = pool.experts.municipal.expert.person_id
    const outcome = await call(detailLoader, `/experts/${other}`, { cookie: pool.users.expert.cookie, params: { expertId: other } })
    expect(outcome.status).toBe(404)
    const roster = await call(rosterLoader, '/experts', { cookie: pool.users.expert.cookie })
    expect(roster.location).toBe('/me/expert')
  })
})
