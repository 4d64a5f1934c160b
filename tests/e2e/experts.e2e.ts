/**
 * The expert pool in the browser, with the demo data set: Haidian's bureau admits an expert,
 * renews the term and suspends them with a reason; the demo expert enters an unavailable period on
 * a phone. Each step is checked in the database the server wrote.
 */
import { todayInChina } from '#app/lib/time.ts'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { addDays, termEndFor } from '#app/modules/experts/rules.ts'
import { DEMO_SEED, mulberry32 } from '#db/seed/demo.ts'
import { seedExpertPool } from '#db/seed/expert-pool.ts'
import { validIdNumber } from '#db/seed/factories.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

beforeAll(async () => {
  // The demo seed gives its experts their profiles; idempotent, so harmless once db/seed/run.ts does it too.
  await seedExpertPool(e2eDb(), mulberry32(DEMO_SEED))
})

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
  expect(scrollWidth).toBeLessThanOrEqual(width!)
}

async function flashText(page: Page): Promise<string> {
  const flash = page.locator('[role="status"], [role="alert"]').first()
  await flash.waitFor()
  return (await flash.textContent()) ?? ''
}

describe('Haidian bureau staff and an expert’s term', () => {
  // A person no demo record holds: born 1978-04-12, with a random order code.
  const idNumber = validIdNumber('110108', '1978-04-12', 100 + Math.floor(Math.random() * 300), 'male')
  const name = '欧阳明远'
  let expertId = ''

  it('admit an expert through the form', async () => {
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto('/experts')
    await page.getByRole('link', { name: '录入专家' }).click()
    await page.waitForURL((url) => url.pathname === '/experts/new')

    await page.locator('input[name="name"]').fill(name)
    await page.locator('input[name="idNumber"]').fill(idNumber)
    await page.locator('select[name="gender"]').selectOption('male')
    await page.locator('input[name="birthDate"]').fill('1978-04-12')
    await page.locator('input[name="phone"]').fill('13700001234')
    // Haidian's bureau appoints district experts in Haidian only: both are chosen for it.
    expect(await page.locator('select[name="tier"]').inputValue()).toBe('district')
    expect(await page.locator('select[name="regionCode"]').inputValue()).toBe('110108')
    await page.locator('input[name="employer"]').fill('北京市海淀医院')
    await page.locator('input[name="title"]').fill('主任医师')
    await page.locator('input[name="professions"][value="medicine"]').check()
    await page.locator('input[name="primaryDomains"][value="医疗"]').check()
    await page.locator('input[name="specialties"][value="医疗"]').check()
    await page.getByRole('button', { name: '录入', exact: true }).click()

    await page.waitForURL((url) => /^\/experts\/[0-9A-Z]{26}$/.test(url.pathname))
    expect(await flashText(page)).toContain(`已录入专家 ${name}`)
    expertId = new URL(page.url()).pathname.split('/')[2]!
    const expert = await e2eDb().selectFrom('experts').selectAll().where('person_id', '=', expertId).executeTakeFirstOrThrow()
    expect(expert).toMatchObject({ name, tier: 'district', region_code: '110108', status: 'active', employer: '北京市海淀医院' })
    // The page shows the number masked, never in full.
    await expect(page.locator('[data-testid="idNumber-masked"]').textContent()).resolves.toBe(`110108********${idNumber.slice(-4)}`)
    expect(await page.content()).not.toContain(idNumber)
  })

  it('renew the term with the proposed dates', async () => {
    expect(expertId).not.toBe('')
    const before = await e2eDb().selectFrom('experts').select(['term_end']).where('person_id', '=', expertId).executeTakeFirstOrThrow()
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto(`/experts/${expertId}`)
    await page.getByRole('link', { name: '续聘' }).click()
    await page.waitForURL((url) => url.pathname === `/experts/${expertId}/renew`)
    const start = addDays(before.term_end, 1)
    expect(await page.locator('input[name="termStart"]').inputValue()).toBe(start)
    await page.locator('input[name="note"]').fill('年度考评合格')
    await page.getByRole('button', { name: '确认续聘' }).click()
    await page.waitForURL((url) => url.pathname === `/experts/${expertId}`)
    expect(await flashText(page)).toContain('已续聘')
    const end = termEndFor(start, 5)
    expect(
      await e2eDb().selectFrom('experts').select(['term_start', 'term_end']).where('person_id', '=', expertId).executeTakeFirstOrThrow(),
    ).toEqual({
      term_start: start,
      term_end: end,
    })
    const terms = await e2eDb()
      .selectFrom('expert_terms')
      .select(['kind', 'note'])
      .where('expert_id', '=', expertId)
      .orderBy('start_date')
      .execute()
    expect(terms).toEqual([
      { kind: 'appointed', note: null },
      { kind: 'renewed', note: '年度考评合格' },
    ])
    await expect(page.locator('[data-testid="terms"]').textContent()).resolves.toContain('续聘')
  })

  it('suspend the expert, with a reason that lands in the history and the audit log', async () => {
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto(`/experts/${expertId}`)
    await page.getByRole('link', { name: '变更状态' }).click()
    await page.waitForURL((url) => url.pathname === `/experts/${expertId}/status`)
    // Without a reason the form refuses, in Chinese, and nothing changes.
    await page.locator('select[name="status"]').selectOption('suspended')
    await page.getByRole('button', { name: '确认变更' }).click()
    await expect(page.locator('.field-error').first().textContent()).resolves.toContain('此项为必填项')
    await page.locator('textarea[name="reason"]').fill('本人申请，因出国访学暂停一年')
    await page.getByRole('button', { name: '确认变更' }).click()
    await page.waitForURL((url) => url.pathname === `/experts/${expertId}`)
    expect(await flashText(page)).toContain('状态已变更')
    await expect(page.locator('[data-testid="expert-badges"]').textContent()).resolves.toContain('暂停')
    await expect(page.locator('[data-testid="status-history"]').textContent()).resolves.toContain('本人申请，因出国访学暂停一年')
    const db = e2eDb()
    expect((await db.selectFrom('experts').select('status').where('person_id', '=', expertId).executeTakeFirstOrThrow()).status).toBe(
      'suspended',
    )
    const audit = await db
      .selectFrom('audit_log')
      .select(['username', 'detail'])
      .where('action', '=', 'expert.status')
      .where('record_id', '=', expertId)
      .executeTakeFirstOrThrow()
    expect(audit.username).toBe('hd.staff')
    expect(JSON.parse(audit.detail!)).toEqual({ before: 'active', after: 'suspended', reason: '本人申请，因出国访学暂停一年' })
  })
})

describe('the demo expert', () => {
  it('enters an unavailable period on a phone', async () => {
    const account = await e2eDb()
      .selectFrom('users as u')
      .innerJoin('experts as e', 'e.person_id', 'u.person_id')
      .select(['e.person_id'])
      .where('u.username', '=', 'expert')
      .executeTakeFirstOrThrow()
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'expert')
    await page.getByText('菜单', { exact: true }).click()
    await page.getByRole('link', { name: '我的专家档案' }).first().click()
    await page.waitForURL((url) => url.pathname === '/me/expert')
    await page.locator('[data-testid="my-profile"]').waitFor()
    await expectNoSidewaysScroll(page)

    const start = addDays(todayInChina(), 30)
    const end = addDays(todayInChina(), 37)
    const form = page.locator('form:has(input[name="intent"][value="unavailability.add"])')
    await form.locator('input[name="startDate"]').fill(start)
    await form.locator('input[name="endDate"]').fill(end)
    await form.locator('input[name="reason"]').fill('出国参加学术会议')
    await form.getByRole('button', { name: '添加不可指派时段' }).click()
    expect(await flashText(page)).toContain('不可指派时段已添加')
    await expect(page.locator('[data-testid="unavailability"]').textContent()).resolves.toContain('出国参加学术会议')
    await expectNoSidewaysScroll(page)

    const periods = await e2eDb()
      .selectFrom('expert_unavailability')
      .select(['start_date', 'end_date', 'entered_by'])
      .where('expert_id', '=', account.person_id)
      .where('reason', '=', '出国参加学术会议')
      .execute()
    expect(periods).toEqual([{ start_date: start, end_date: end, entered_by: 'expert' }])
  })
})
