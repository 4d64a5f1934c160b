/**
 * Applying for a grade on a phone (360 px): the demo mediator opens the demo round of the Beijing
 * association, sees the eligibility check rule by rule on their current records, declares, submits,
 * and sees the frozen check and evidence on their application page, without any score.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GRADING_DEMO_TITLE } from '#db/seed/grading.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

async function clearApplication() {
  const db = e2eDb()
  const user = await db.selectFrom('users').select('person_id').where('username', '=', 'mediator').executeTakeFirst()
  const round = await db.selectFrom('grading_rounds').select('id').where('title', '=', GRADING_DEMO_TITLE).executeTakeFirst()
  if (user?.person_id && round)
    await db.deleteFrom('grading_applications').where('round_id', '=', round.id).where('person_id', '=', user.person_id).execute()
}

beforeAll(clearApplication)
afterAll(clearApplication)

describe('a mediator applies for a grade on a phone', () => {
  it('sees the eligibility rule by rule, applies, and sees the frozen result without scores', { timeout: 120_000 }, async () => {
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'mediator')
    await page.goto('/grading')
    await page.getByTestId('rounds').waitFor()
    await page.getByRole('link', { name: GRADING_DEMO_TITLE }).click()
    await page.waitForURL('**/grading/rounds/*')
    await page.getByTestId('round-status').waitFor()
    await page.getByRole('link', { name: '提交申请' }).first().click()
    await page.waitForURL('**/apply')
    await page.getByTestId('eligibility').waitFor()
    expect(await page.getByTestId('rule-minDisputes').textContent()).toContain('调解纠纷数')
    // The page fits a phone: no horizontal scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

    const form = page.getByTestId('apply-form')
    await form.getByLabel('本人调解的纠纷无“民转刑”案件').check()
    await form.getByLabel('本人无违法违纪行为').check()
    await form.getByRole('button', { name: '提交申请' }).click()
    await page.waitForURL('**/grading/applications/*')
    await page.getByTestId('application-status').waitFor()
    expect(await page.getByTestId('application-status').textContent()).toBe('待资格审查')
    expect(await page.getByTestId('rule-basic.noCriminalConversion').textContent()).toContain('符合')
    await page.getByTestId('evidence-view').waitFor()
    expect(await page.getByText('评分和评审专家信息在评定结果公布后可见。').count()).toBe(1)
    expect(await page.getByTestId('final-score').count()).toBe(0)
  })
})
