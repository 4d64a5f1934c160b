/**
 * A whole grading round (等级评定) through the browser, one page after another as the people in it
 * would use them: the Haidian association admin creates a round and opens applications; the demo
 * mediator applies on a phone (360 px); the admin moves the round to pre-review, forms a panel of
 * four reviewers and moves to scoring (reviewers are assigned automatically); three reviewers
 * calibrate and score blind on phones, far enough apart that the discrepancy rule brings in the
 * fourth reviewer automatically, who scores too; the admin opens the 公示; an anonymous visitor
 * objects; the admin dismisses the objection, resolves and finalises the round; anyone verifies
 * the certificate on its public page.
 *
 * The database is only read (to find ids the pages put in URLs and to check what was stored), with
 * one exception: the 公示 period is moved into the past, because resolving waits for it to end.
 */
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { todayInChina } from '#app/lib/time.ts'
import { DEFAULT_GRADING_CONFIG } from '#app/modules/grading/config.ts'
import { addDays } from '#app/modules/grading/rounds.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb, resetSignInThrottle } from './database.ts'

const today = todayInChina()
const rubric = DEFAULT_GRADING_CONFIG.rubric
const title = `端到端等级评定 ${Date.now().toString(36)}`
const startedAt = new Date().toISOString()
// Four reviewers of the demo seed (db/seed/demo.ts): three are assigned, one is left for the discrepancy.
const REVIEWERS = ['reviewer', 'reviewer2', 'reviewer3', 'reviewer4'] as const
let roundId = ''
let mediatorPersonId = ''

afterAll(async () => {
  // Leave the demo mediator's grades as they were for the files that run after this one.
  if (!roundId) return
  const db = e2eDb()
  const grades = await db.selectFrom('mediator_grades').select('id').where('round_id', '=', roundId).execute()
  if (grades.length) {
    await db
      .deleteFrom('grade_certificates')
      .where(
        'mediator_grade_id',
        'in',
        grades.map((g) => g.id),
      )
      .execute()
    await db.deleteFrom('mediator_grades').where('round_id', '=', roundId).execute()
  }
  if (mediatorPersonId)
    await db
      .updateTable('mediator_grades')
      .set({ status: 'current' })
      .where('person_id', '=', mediatorPersonId)
      .where('status', '=', 'superseded')
      .where('changed_at', '>=', startedAt)
      .execute()
})

const STATUS_LABELS: Record<string, string> = {
  open: '受理申请',
  eligibility: '资格审查',
  scoring: '评审打分',
  notice: '公示中',
  resolved: '异议已处理',
  finalised: '已完成',
}

async function roundStatus(): Promise<string> {
  return (await e2eDb().selectFrom('grading_rounds').select('status').where('id', '=', roundId).executeTakeFirstOrThrow()).status
}

/** Moves the round on from its page: the transition's own form, then the confirmation. */
async function transition(admin: Page, to: string, noticeStartOn?: string): Promise<void> {
  await admin.goto(`/grading/rounds/${roundId}`)
  await admin.getByTestId('transitions').waitFor()
  const form = admin.locator(`form:has(input[name="to"][value="${to}"])`)
  if (noticeStartOn) await form.locator('input[name="noticeStartOn"]').fill(noticeStartOn)
  await form.locator('button[type="submit"]').click()
  await admin.getByTestId('confirm-transition').waitFor()
  await admin.getByRole('button', { name: '确认变更' }).click()
  await expect.poll(roundStatus, { timeout: 15_000 }).toBe(to)
  // The page reloads after the redirect: wait for it to show the new state before reading it.
  await expect.poll(() => admin.getByTestId('round-status').textContent(), { timeout: 15_000 }).toBe(STATUS_LABELS[to])
}

async function fitsWidth(page: Page): Promise<void> {
  const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
  expect(scrollWidth).toBeLessThanOrEqual(width!)
}

async function assignments() {
  return e2eDb()
    .selectFrom('grading_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.reviewer_user_id')
    .select(['a.id', 'a.status', 'a.reason', 'a.total', 'u.username'])
    .where('a.round_id', '=', roundId)
    .orderBy('a.assigned_at')
    .orderBy('u.username')
    .execute()
}

/** A reviewer on a phone: both calibration samples first, then the blind review with `points` everywhere. */
async function calibrateAndScore(username: string, assignmentId: string, points: number): Promise<void> {
  await resetSignInThrottle()
  const page = await newPage({ viewport: 'phone' })
  await signIn(page, username)
  await page.goto(`/grading/rounds/${roundId}/calibration`)
  for (const sample of DEFAULT_GRADING_CONFIG.calibrationSamples) {
    const card = page.getByTestId(`sample-${sample.key}`)
    await card.waitFor()
    for (const c of rubric) await page.locator(`#${sample.key}-p-${c.key}`).fill(String(sample.reference[c.key]))
    await card.getByRole('button', { name: '提交校准评分' }).click()
    await card.getByTestId('calibration-result').waitFor()
  }
  await page.getByTestId('calibration-complete').waitFor()
  await fitsWidth(page)

  await page.goto(`/grading/reviews/${assignmentId}`)
  await page.getByTestId('evidence-view').waitFor()
  await fitsWidth(page)
  for (const c of rubric) {
    await page.locator(`#p-${c.key}`).fill(String(points))
    await page.locator(`#c-${c.key}`).fill(`${c.label}：按材料评为 ${points} 分`)
  }
  await page.getByRole('button', { name: '提交评分（提交后不能修改）' }).click()
  await page.getByTestId('my-scores').waitFor()
  expect(await page.getByTestId('my-scores').textContent()).toContain(`${points * 10}.00`)
  await page.context().close()
}

describe('a whole grading round in the browser', () => {
  it(
    'creation → application → pre-review → blind scoring with a discrepancy → 公示 → objection → finalisation → verification',
    {
      timeout: 300_000,
    },
    async () => {
      const db = e2eDb()
      const mediator = await db
        .selectFrom('users as u')
        .innerJoin('people as p', 'p.id', 'u.person_id')
        .select(['p.id', 'p.name'])
        .where('u.username', '=', 'mediator')
        .executeTakeFirstOrThrow()
      mediatorPersonId = mediator.id

      // 1. The association admin creates the round (四级 only) and opens applications.
      const admin = await newPage()
      await signIn(admin, 'hd.assoc')
      await admin.goto('/grading/rounds/new')
      await admin.getByRole('textbox', { name: /^名称/ }).fill(title)
      await admin.getByLabel('申请开始日期').fill(today)
      await admin.getByLabel('申请截止日期').fill(addDays(today, 30))
      await admin.getByRole('checkbox', { name: '四级人民调解员' }).check()
      await admin.getByRole('button', { name: '保存' }).click()
      await admin.waitForURL((url) => /^\/grading\/rounds\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'))
      await admin.getByTestId('round-status').waitFor()
      expect(await admin.getByTestId('round-status').textContent()).toBe('草稿')
      roundId = new URL(admin.url()).pathname.split('/').at(-1)!
      await transition(admin, 'open')
      expect(await admin.getByTestId('round-status').textContent()).toBe('受理申请')

      // 2. The mediator applies on a phone.
      await resetSignInThrottle()
      const applicant = await newPage({ viewport: 'phone' })
      await signIn(applicant, 'mediator')
      await applicant.goto(`/grading/rounds/${roundId}/apply`)
      await applicant.getByTestId('apply-form').waitFor()
      await fitsWidth(applicant)
      await applicant.getByLabel('本人调解的纠纷无“民转刑”案件').check()
      await applicant.getByLabel('本人无违法违纪行为').check()
      await applicant.getByRole('button', { name: '提交申请' }).click()
      await applicant.waitForURL('**/grading/applications/*')
      await applicant.getByTestId('evidence-view').waitFor()
      await fitsWidth(applicant)
      const applicationId = new URL(applicant.url()).pathname.split('/').at(-1)!
      const submitted = await db
        .selectFrom('grading_applications')
        .select(['status', 'eligible_auto', 'person_id'])
        .where('id', '=', applicationId)
        .executeTakeFirstOrThrow()
      expect(submitted).toMatchObject({ status: 'submitted', person_id: mediator.id })

      // 3. Pre-review. With the demo seed's case statistics (db/seed/grading.ts) the automatic check
      // refuses the demo mediator on one rule (success rate 78/93 ≈ 83.9 %, 四级 asks ≥ 85 %), so the
      // association overrides the verdict with a written reason: the pre-review step the issue
      // provides for this. Should the seed make the mediator eligible one day, the override is skipped.
      await transition(admin, 'eligibility')
      if (Number(submitted.eligible_auto) !== 1) {
        await admin.goto(`/grading/applications/${applicationId}`)
        const override = admin.getByTestId('override-form')
        await override.waitFor()
        await override.getByLabel('调整为').selectOption('eligible')
        await override
          .getByLabel('理由（必填）')
          .fill('经协会预审核实：申请人有已调解成功的纠纷漏报，按补报并核实后的统计，调解成功率已达 85%，资格符合。')
        await override.getByRole('button', { name: '保存' }).click()
        await expect
          .poll(
            async () =>
              (await db.selectFrom('grading_applications').select('status').where('id', '=', applicationId).executeTakeFirstOrThrow())
                .status,
          )
          .toBe('eligible')
      }
      await admin.goto(`/grading/rounds/${roundId}`)
      await admin.getByTestId('round-applications').waitFor()
      expect(await admin.getByTestId('round-applications').textContent()).toContain('资格审查通过')

      // 4. The panel: four reviewers, so one is left over for the discrepancy.
      await admin.goto(`/grading/rounds/${roundId}/panel`)
      await admin.getByLabel('选择评审专家').waitFor()
      for (const [i, username] of REVIEWERS.entries()) {
        const user = await db.selectFrom('users').select(['id']).where('username', '=', username).executeTakeFirstOrThrow()
        await admin.getByLabel('选择评审专家').selectOption(user.id)
        await admin.getByRole('button', { name: '加入评审组' }).click()
        await expect
          .poll(async () =>
            Number(
              (
                await db
                  .selectFrom('grading_panel_members')
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .where('round_id', '=', roundId)
                  .where('user_id', '=', user.id)
                  .where('active', '=', 1)
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          )
          .toBe(1)
        // Wait for the reloaded page (one more member listed) before choosing the next one.
        await expect.poll(() => admin.getByTestId('panel-members').locator('tbody tr').count(), { timeout: 15_000 }).toBe(i + 1)
      }

      // 5. Scoring: the transition assigns three reviewers automatically.
      await transition(admin, 'scoring')
      const initial = await assignments()
      expect(initial).toHaveLength(3)
      expect(new Set(initial.map((a) => a.username)).size).toBe(3)
      const spare = REVIEWERS.find((u) => !initial.some((a) => a.username === u))!

      // Two reviewers give 9 everywhere (90.00), the third 5 (50.00): 40 points apart, far above the
      // 15-point tolerance, so the last submission brings in the spare reviewer.
      await calibrateAndScore(initial[0]!.username, initial[0]!.id, 9)
      await calibrateAndScore(initial[1]!.username, initial[1]!.id, 9)
      expect((await assignments()).filter((a) => a.status === 'assigned')).toHaveLength(1)
      await calibrateAndScore(initial[2]!.username, initial[2]!.id, 5)
      const afterThree = await assignments()
      const extra = afterThree.filter((a) => a.status === 'assigned')
      expect(extra).toHaveLength(1)
      expect(extra[0]!.username).toBe(spare)
      expect(extra[0]!.reason).not.toBe('initial')
      await calibrateAndScore(spare, extra[0]!.id, 8)
      expect((await assignments()).every((a) => a.status === 'submitted')).toBe(true)

      // 6. 公示 from today. Mean of the four totals: (9000 + 9000 + 5000 + 8000) / 4 = 7750 → 77.50.
      await transition(admin, 'notice', today)
      const ranked = await db
        .selectFrom('grading_applications')
        .select(['status', 'final_score', 'rank_in_grade'])
        .where('id', '=', applicationId)
        .executeTakeFirstOrThrow()
      expect(ranked).toEqual({ status: 'proposed', final_score: 7750, rank_in_grade: 1 })

      // 7. Anyone objects on the public page, on a phone, without signing in.
      const visitor = await newPage({ viewport: 'phone' })
      await visitor.goto(`/notice/${roundId}`)
      await visitor.getByTestId('notice-list').waitFor()
      expect(await visitor.getByTestId('notice-list').textContent()).toContain(mediator.name)
      await fitsWidth(visitor)
      await visitor.getByRole('link', { name: '提出异议' }).click()
      await visitor.waitForURL(`**/notice/${roundId}/object`)
      await visitor.getByLabel('您的姓名').fill('王群众')
      await visitor.getByLabel('联系方式（手机号或电子邮箱）').fill('13900002222')
      await visitor.getByLabel('异议对象').selectOption(applicationId)
      await visitor.getByLabel('异议事实和理由').fill('该调解员去年有一起纠纷协议未履行，请协会核实其工作业绩。')
      await visitor.getByRole('button', { name: '提交异议' }).click()
      await visitor.waitForURL(`**/notice/${roundId}/object?received=*`)
      await visitor.getByTestId('objection-received').waitFor()

      // 8. The association dismisses it with a written answer.
      await admin.goto(`/grading/rounds/${roundId}/objections`)
      await admin.getByTestId('open-objections').waitFor()
      expect(await admin.getByTestId('open-objections').textContent()).toContain('1')
      await admin.getByRole('link', { name: '处理' }).click()
      await admin.waitForURL(`**/grading/rounds/${roundId}/objections/*`)
      await admin.getByTestId('objection').waitFor()
      await admin.getByLabel('核查情况').fill('调取该纠纷卷宗并回访当事人，协议已于期限内履行完毕。')
      await admin.getByLabel('书面答复').fill('经核查，异议反映的情况不属实，维持拟定级结果。')
      await admin.getByLabel('异议不成立').check()
      await admin.getByRole('button', { name: '保存处理结论' }).click()
      await admin.waitForURL(`**/grading/rounds/${roundId}/objections`)
      await admin.getByTestId('open-objections').waitFor()
      expect(await admin.getByTestId('open-objections').textContent()).toContain('0')

      // 9. Resolving waits until the 公示 period has ended; a test cannot wait five working days, so
      // the period is moved into the past in the database (the only write this test makes).
      await db
        .updateTable('grading_rounds')
        .set({ notice_start_on: addDays(today, -8), notice_end_on: addDays(today, -1) })
        .where('id', '=', roundId)
        .execute()
      await transition(admin, 'resolved')
      await transition(admin, 'finalised')
      expect(await admin.getByTestId('round-status').textContent()).toBe('已完成')
      const awarded = await db.selectFrom('grading_applications').select('status').where('id', '=', applicationId).executeTakeFirstOrThrow()
      expect(awarded.status).toBe('awarded')
      const certificate = await db
        .selectFrom('grade_certificates as c')
        .innerJoin('mediator_grades as g', 'g.id', 'c.mediator_grade_id')
        .select('c.number')
        .where('g.round_id', '=', roundId)
        .where('g.person_id', '=', mediator.id)
        .executeTakeFirstOrThrow()

      // 10. Anyone verifies the certificate.
      await visitor.goto(`/grade-certificates/${certificate.number}`)
      await visitor.getByTestId('grade-verification').waitFor()
      expect(await visitor.getByTestId('grade-name').textContent()).toBe('四级人民调解员')
      expect(await visitor.getByTestId('grade-standing').textContent()).toBe('有效')
      await fitsWidth(visitor)
    },
  )
})
