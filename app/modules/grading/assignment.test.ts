import { describe, expect, it } from 'vitest'
import { type ApplicationForAssignment, type Conflict, type PanelReviewer, mayReview, planAssignments } from './assignment.ts'

/** Small deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const reviewer = (userId: string, orgId: string | null = null, load = 0): PanelReviewer => ({ userId, orgId, load })
const app = (id: string, orgId = 'org-x', needed = 3, personId = `p-${id}`): ApplicationForAssignment => ({
  id,
  personId,
  orgId,
  existingReviewers: [],
  needed,
})

describe('planAssignments', () => {
  it('gives each application the least-loaded reviewers, ties by user id', () => {
    const plan = planAssignments([app('a1'), app('a2')], [reviewer('r1'), reviewer('r2'), reviewer('r3'), reviewer('r4')], [])
    // a1 takes r1 r2 r3 (all at 0, by id); a2 then takes r4 (0) and r1, r2 (1 each, by id).
    expect(plan.assignments).toEqual([
      { applicationId: 'a1', reviewerUserId: 'r1' },
      { applicationId: 'a1', reviewerUserId: 'r2' },
      { applicationId: 'a1', reviewerUserId: 'r3' },
      { applicationId: 'a2', reviewerUserId: 'r4' },
      { applicationId: 'a2', reviewerUserId: 'r1' },
      { applicationId: 'a2', reviewerUserId: 'r2' },
    ])
    expect(plan.unassigned).toEqual([])
  })

  it('never assigns a reviewer from the applicant organisation or with a declared conflict', () => {
    const plan = planAssignments(
      [app('a1', 'org-1')],
      [reviewer('r1', 'org-1'), reviewer('r2'), reviewer('r3'), reviewer('r4'), reviewer('r5')],
      [{ userId: 'r2', personId: 'p-a1' }],
    )
    expect(plan.assignments.map((a) => a.reviewerUserId)).toEqual(['r3', 'r4', 'r5'])
  })

  it('reports an application that cannot get enough reviewers and assigns it none', () => {
    const plan = planAssignments([app('a1', 'org-1'), app('a2')], [reviewer('r1', 'org-1'), reviewer('r2'), reviewer('r3')], [])
    expect(plan.unassigned).toEqual(['a1'])
    expect(plan.assignments.every((a) => a.applicationId === 'a2')).toBe(true)
  })

  it('counts existing load and skips reviewers already on the application', () => {
    const plan = planAssignments(
      [{ ...app('a1', 'org-x', 1), existingReviewers: ['r1', 'r2', 'r3'] }],
      [reviewer('r1'), reviewer('r2'), reviewer('r3'), reviewer('r4', null, 5), reviewer('r5', null, 2)],
      [],
    )
    expect(plan.assignments).toEqual([{ applicationId: 'a1', reviewerUserId: 'r5' }])
  })

  it('serves the most constrained application first so both can be staffed', () => {
    // a2 can only use r3 and r4; handled first, the greedy pass leaves r1/r2 to a1.
    const plan = planAssignments(
      [app('a1', 'org-x', 2), app('a2', 'org-y', 2)],
      [reviewer('r1', 'org-y'), reviewer('r2', 'org-y'), reviewer('r3'), reviewer('r4')],
      [],
    )
    expect(plan.unassigned).toEqual([])
    expect(plan.assignments.filter((a) => a.applicationId === 'a2').map((a) => a.reviewerUserId)).toEqual(['r3', 'r4'])
    expect(plan.assignments.filter((a) => a.applicationId === 'a1').map((a) => a.reviewerUserId)).toEqual(['r1', 'r2'])
  })

  it('property: on random panels it never violates a constraint and staffs every application it can', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = rng(seed)
      const orgs = ['o1', 'o2', 'o3', 'o4']
      const reviewers = Array.from({ length: 3 + Math.floor(rand() * 8) }, (_, i) =>
        reviewer(`r${String(i).padStart(2, '0')}`, rand() < 0.3 ? null : orgs[Math.floor(rand() * orgs.length)]!),
      )
      const needed = 1 + Math.floor(rand() * 3)
      const apps = Array.from({ length: 1 + Math.floor(rand() * 15) }, (_, i) =>
        app(`a${String(i).padStart(2, '0')}`, orgs[Math.floor(rand() * orgs.length)]!, needed),
      )
      const conflicts: Conflict[] = []
      for (const r of reviewers) for (const a of apps) if (rand() < 0.1) conflicts.push({ userId: r.userId, personId: a.personId })
      const conflictSet = new Set(conflicts.map((c) => `${c.userId}\u0000${c.personId}`))
      const plan = planAssignments(apps, reviewers, conflicts)
      const byApp = new Map<string, string[]>()
      for (const x of plan.assignments) byApp.set(x.applicationId, [...(byApp.get(x.applicationId) ?? []), x.reviewerUserId])
      for (const a of apps) {
        const chosen = byApp.get(a.id) ?? []
        for (const userId of chosen) {
          const r = reviewers.find((x) => x.userId === userId)!
          expect(mayReview(r, a, conflictSet), `seed ${seed}`).toBe(true)
        }
        expect(new Set(chosen).size, `seed ${seed}`).toBe(chosen.length)
        const eligible = reviewers.filter((r) => mayReview(r, a, conflictSet)).length
        if (plan.unassigned.includes(a.id)) {
          expect(chosen, `seed ${seed}`).toEqual([])
          expect(eligible, `seed ${seed}`).toBeLessThan(needed)
        } else expect(chosen.length, `seed ${seed}`).toBe(needed)
      }
    }
  })

  it('property: without constraints, loads differ by at most one', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = rng(seed * 7919)
      const reviewers = Array.from({ length: 3 + Math.floor(rand() * 10) }, (_, i) => reviewer(`r${String(i).padStart(2, '0')}`))
      const needed = 1 + Math.floor(rand() * Math.min(3, reviewers.length))
      const apps = Array.from({ length: 1 + Math.floor(rand() * 25) }, (_, i) => app(`a${String(i).padStart(2, '0')}`, 'o1', needed))
      const plan = planAssignments(apps, reviewers, [])
      const loads = reviewers.map((r) => plan.assignments.filter((x) => x.reviewerUserId === r.userId).length)
      expect(Math.max(...loads) - Math.min(...loads), `seed ${seed}`).toBeLessThanOrEqual(1)
      expect(plan.assignments.length).toBe(apps.length * needed)
    }
  })

  it('property: with constraints, an application is never given a busier reviewer while a less busy eligible one was free', () => {
    // Replays the plan step by step and checks each pick was least-loaded among the eligible.
    for (let seed = 1; seed <= 200; seed++) {
      const rand = rng(seed * 104729)
      const orgs = ['o1', 'o2', 'o3']
      const reviewers = Array.from({ length: 4 + Math.floor(rand() * 6) }, (_, i) =>
        reviewer(`r${String(i).padStart(2, '0')}`, orgs[Math.floor(rand() * orgs.length)]!),
      )
      const apps = Array.from({ length: 1 + Math.floor(rand() * 12) }, (_, i) =>
        app(`a${String(i).padStart(2, '0')}`, orgs[Math.floor(rand() * 3)]!, 2),
      )
      const conflicts: Conflict[] = []
      for (const r of reviewers) for (const a of apps) if (rand() < 0.15) conflicts.push({ userId: r.userId, personId: a.personId })
      const conflictSet = new Set(conflicts.map((c) => `${c.userId}\u0000${c.personId}`))
      const plan = planAssignments(apps, reviewers, conflicts)
      const loads = new Map(reviewers.map((r) => [r.userId, 0]))
      const seen: string[] = []
      for (const x of plan.assignments) {
        if (seen.at(-1) !== x.applicationId) seen.push(x.applicationId)
        const a = apps.find((y) => y.id === x.applicationId)!
        const chosenSoFar = plan.assignments.filter((y) => y.applicationId === a.id)
        const others = reviewers.filter((r) => mayReview(r, a, conflictSet) && !chosenSoFar.some((y) => y.reviewerUserId === r.userId))
        const picked = loads.get(x.reviewerUserId)!
        for (const o of others) expect(loads.get(o.userId)!, `seed ${seed}`).toBeGreaterThanOrEqual(picked)
        loads.set(x.reviewerUserId, picked + 1)
      }
    }
  })
})
