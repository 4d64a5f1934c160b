/**
 * Blind review on a phone (360 px): the demo reviewer, on the panel of a Haidian round in
 * scoring, is sent to calibration first, scores both samples and sees how far off they were,
 * then scores the assigned application blind (no name, no organisation) and sees the score kept.
 * The round is written straight into the e2e database (its earlier steps belong to other pages
 * and tests) and removed afterwards.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { DEFAULT_GRADING_CONFIG } from '#app/modules/grading/config.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const config = DEFAULT_GRADING_CONFIG
let roundId = ''
let configId = ''
let assignmentId = ''
let applicantName = ''
let applicantOrg = ''
const blindCode = `G-2099-${String(Date.now() % 10_000).padStart(4, '0')}`

beforeAll(async () => {
  const db = e2eDb()
  const now = new Date().toISOString()
  const association = await db
    .selectFrom('organisations')
    .select(['id', 'region_code'])
    .where('kind', '=', 'association')
    .where('region_code', '=', '110108')
    .executeTakeFirstOrThrow()
  const reviewer = await db.selectFrom('users').select('id').where('username', '=', 'reviewer').executeTakeFirstOrThrow()
  const admin = await db.selectFrom('users').select('id').where('username', '=', 'hd.assoc').executeTakeFirstOrThrow()
  const mediator = await db
    .selectFrom('mediators as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .innerJoin('organisations as o', 'o.id', 'm.org_id')
    .select(['p.id', 'p.name', 'm.org_id', 'o.name as org_name'])
    .where('o.region_code', 'like', '110108%')
    .orderBy('p.id')
    .executeTakeFirstOrThrow()
  applicantName = mediator.name
  applicantOrg = mediator.org_name
  configId = newId()
  await db
    .insertInto('grading_configs')
    .values({
      id: configId,
      association_org_id: association.id,
      version_no: 900_000 + (Date.now() % 10_000),
      config: JSON.stringify(config),
      note: 'e2e',
      created_by: admin.id,
      created_at: now,
    })
    .execute()
  roundId = newId()
  await db
    .insertInto('grading_rounds')
    .values({
      id: roundId,
      association_org_id: association.id,
      config_id: configId,
      title: '评审端到端测试轮次',
      status: 'scoring',
      grade_codes: '["4"]',
      quotas: '{}',
      applications_open_on: '2026-03-01',
      applications_close_on: '2026-03-31',
      notice_start_on: null,
      notice_end_on: null,
      committee: '[]',
      created_by: admin.id,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  const applicationId = newId()
  await db
    .insertInto('grading_applications')
    .values({
      id: applicationId,
      round_id: roundId,
      person_id: mediator.id,
      org_id: mediator.org_id,
      grade_code: '4',
      status: 'eligible',
      blind_code: blindCode,
      applied_by: admin.id,
      evidence: JSON.stringify({
        format: 1,
        gatheredOn: '2026-03-10',
        work: { startedOn: '2019-05-01', years: 6 },
        currentGrade: null,
        gradeHistory: [],
        caseStats: {
          years: [2024, 2025, 2026],
          rows: [{ year: 2025, disputes: 66, successful: 60, oral: 10 }],
          unconfirmedYears: [],
          totals: { disputes: 66, successful: 60, oral: 10 },
        },
        training: { hoursByYear: { '2025': 30 }, preServiceDone: true, completedCourses: [] },
        drills: { attempted: 1, completed: 1, passed: 1, drills: [] },
        library: { accepted: [] },
        declarations: { noCriminalConversion: true, noMisconduct: true },
        attachments: [],
      }),
      eligibility: '{}',
      eligible_auto: 1,
      override_verdict: null,
      override_reason: null,
      override_by: null,
      final_score: null,
      rank_in_grade: null,
      outcome_reason: null,
      submitted_at: now,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute()
  await db
    .insertInto('grading_panel_members')
    .values({ id: newId(), round_id: roundId, user_id: reviewer.id, active: 1, created_at: now })
    .execute()
  assignmentId = newId()
  await db
    .insertInto('grading_assignments')
    .values({
      id: assignmentId,
      application_id: applicationId,
      round_id: roundId,
      reviewer_user_id: reviewer.id,
      reason: 'initial',
      status: 'assigned',
      scores: null,
      total: null,
      assigned_at: now,
      submitted_at: null,
    })
    .execute()
})

afterAll(async () => {
  const db = e2eDb()
  await db.deleteFrom('grading_calibrations').where('round_id', '=', roundId).execute()
  await db.deleteFrom('grading_assignments').where('round_id', '=', roundId).execute()
  await db.deleteFrom('grading_panel_members').where('round_id', '=', roundId).execute()
  await db.deleteFrom('grading_applications').where('round_id', '=', roundId).execute()
  await db.deleteFrom('grading_rounds').where('id', '=', roundId).execute()
  await db.deleteFrom('grading_configs').where('id', '=', configId).execute()
})

async function fitsWidth(page: Page) {
  const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
  expect(scrollWidth).toBeLessThanOrEqual(width!)
}

async function fillPoints(page: Page, prefix: string, points: Record<string, number>, comments: boolean) {
  for (const c of config.rubric) {
    await page.locator(`#${prefix}p-${c.key}`).fill(String(points[c.key]))
    if (comments) await page.locator(`#c-${c.key}`).fill(`${c.label}表现良好`)
  }
}

describe('a reviewer calibrates and then scores blind on a phone', () => {
  it('calibration first, deviation shown, then a blind review submitted once', { timeout: 120_000 }, async () => {
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'reviewer')
    await page.goto('/grading/reviews')
    await page.getByTestId('review-item').first().waitFor()
    const item = page.getByTestId('review-item').filter({ hasText: blindCode })
    await fitsWidth(page)
    // Not calibrated yet: the queue sends the reviewer to calibration, and so does the page.
    await item.getByRole('link', { name: '先完成本轮校准' }).click()
    await page.waitForURL(`**/grading/rounds/${roundId}/calibration`)
    const [sampleA, sampleB] = config.calibrationSamples
    await page.getByTestId(`sample-${sampleA!.key}`).waitFor()
    await fitsWidth(page)

    // Sample A: all 8s → 80.00 against the reference 78.00: deviation 2.00.
    await fillPoints(page, `${sampleA!.key}-`, Object.fromEntries(config.rubric.map((c) => [c.key, 8])), false)
    await page.getByTestId(`sample-${sampleA!.key}`).getByRole('button', { name: '提交校准评分' }).click()
    await page.getByTestId(`sample-${sampleA!.key}`).getByTestId('calibration-result').waitFor()
    expect(await page.getByTestId(`sample-${sampleA!.key}`).getByTestId('calibration-result').textContent()).toContain('偏差 2.00')

    // Sample B: the reference itself → deviation 0.00.
    await fillPoints(page, `${sampleB!.key}-`, sampleB!.reference, false)
    await page.getByTestId(`sample-${sampleB!.key}`).getByRole('button', { name: '提交校准评分' }).click()
    await page.getByTestId('calibration-complete').waitFor()
    expect(await page.getByTestId(`sample-${sampleB!.key}`).getByTestId('calibration-result').textContent()).toContain('偏差 0.00')

    // Live scoring, blind.
    await page.goto(`/grading/reviews/${assignmentId}`)
    await page.getByTestId('evidence-view').waitFor()
    await fitsWidth(page)
    const body = (await page.locator('main').textContent()) ?? ''
    expect(body).toContain(blindCode)
    expect(body).not.toContain(applicantName)
    expect(body).not.toContain(applicantOrg)
    expect(await page.getByTestId('others-hidden').isVisible()).toBe(true)

    // Out of range first: refused, input kept.
    await fillPoints(page, '', { law: 12, skill: 7, record: 7, documents: 7, ethics: 7 }, true)
    await page.locator('#p-law').evaluate((el) => el.removeAttribute('max'))
    await page.getByRole('button', { name: '提交评分（提交后不能修改）' }).click()
    await page.getByTestId('score-error').waitFor()
    expect(await page.locator('main').textContent()).toContain('分数超出该项的分值范围')
    expect(await page.locator('#p-skill').inputValue()).toBe('7')

    await page.locator('#p-law').fill('9')
    await page.getByRole('button', { name: '提交评分（提交后不能修改）' }).click()
    await page.getByTestId('my-scores').waitFor()
    // 9·25 + 7·25 + 7·20 + 7·15 + 7·15 = 750 → 75.00
    expect(await page.getByTestId('my-scores').textContent()).toContain('75.00')
    await fitsWidth(page)

    const stored = await e2eDb()
      .selectFrom('grading_assignments')
      .select(['status', 'total'])
      .where('id', '=', assignmentId)
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({ status: 'submitted', total: 7500 })
    const deviations = await e2eDb()
      .selectFrom('grading_calibrations')
      .select('deviation')
      .where('round_id', '=', roundId)
      .orderBy('sample_key')
      .execute()
    expect(deviations.map((d) => Number(d.deviation))).toEqual([200, 0])
  })
})
