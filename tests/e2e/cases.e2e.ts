/**
 * Difficult cases in the browser, on the demo data set: Haidian's bureau registers a case, sees
 * the recommendations with their reasons, invites the demo expert, who accepts and writes the
 * opinion on a phone; the staff rate it; then a batch over the demo's waiting cases is planned
 * and confirmed. Each step is checked in the database the server wrote.
 */
import { todayInChina } from '#app/lib/time.ts'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_SEED, mulberry32 } from '#db/seed/demo.ts'
import { seedCases } from '#db/seed/cases.ts'
import { seedExpertPool } from '#db/seed/expert-pool.ts'
import { validIdNumber } from '#db/seed/factories.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

beforeAll(async () => {
  // Both idempotent: db/seed/run.ts has done them already when the seed is current.
  await seedExpertPool(e2eDb(), mulberry32(DEMO_SEED))
  await seedCases(e2eDb())
})

describe('difficult cases and expert matching', () => {
  const title = `婚姻家庭疑难纠纷 ${Math.random().toString(36).slice(2, 7)}`
  const idNumber = validIdNumber('110108', '1983-07-19', 100 + Math.floor(Math.random() * 300), 'female')
  let caseId = ''
  let expertId = ''

  it('Haidian staff register a case, see recommendations with reasons and invite the demo expert', async () => {
    const expertUser = await e2eDb().selectFrom('users').select('person_id').where('username', '=', 'expert').executeTakeFirstOrThrow()
    expertId = expertUser.person_id!
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto('/cases')
    await page.getByRole('link', { name: '登记案件' }).click()
    await page.waitForURL((url) => url.pathname === '/cases/new')
    await page.locator('input[name="title"]').fill(title)
    await page.locator('textarea[name="summary"]').fill('离婚后双方就子女抚养费及共同财产分割发生争议，涉及专业法律问题。')
    await page.locator('select[name="disputeType"]').selectOption('婚姻家庭')
    await page.locator('select[name="regionCode"]').selectOption('110108')
    const firstOrg = await page.locator('select[name="orgId"] option').nth(1).getAttribute('value')
    await page.locator('select[name="orgId"]').selectOption(firstOrg!)
    await page.locator('input[name="amountYuan"]').fill('80000')
    await page.locator('input[name="parties[0].name"]').fill('赵某')
    await page.locator('input[name="parties[0].idNumber"]').fill(idNumber)
    await page.locator('input[name="parties[1].name"]').fill('钱某')
    await page.locator('input[name="periodStart"]').fill(todayInChina())
    await page.locator('input[name="periodEnd"]').fill(addDays(todayInChina(), 20))
    await page.locator('input[name="deadline"]').fill(addDays(todayInChina(), 14))
    await page.getByRole('button', { name: '保存' }).click()
    await page.waitForURL((url) => /^\/cases\/[0-9A-Z]{26}$/.test(url.pathname))
    caseId = new URL(page.url()).pathname.split('/')[2]!
    const kase = await e2eDb().selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow()
    expect(kase).toMatchObject({ title, dispute_type_code: '婚姻家庭', region_code: '110108', status: 'registered', amount_fen: 8_000_000 })
    expect(kase.case_number).toMatch(/^（\d{4}）.+人调字第 \d+ 号$/)
    // The party's number is shown masked only.
    expect(await page.content()).not.toContain(idNumber)
    await expect(page.locator('[data-testid="parties"]').textContent()).resolves.toContain(idNumber.slice(-4))

    await page.getByRole('button', { name: '生成推荐' }).click()
    await page.locator('[data-testid="recommendations"]').waitFor()
    const item = page.locator(`[data-testid="recommendations"] li[data-expert-id="${expertId}"]`)
    await item.waitFor()
    expect(await item.locator('[data-testid="reasons"]').textContent()).toContain('婚姻家庭')
    expect(await page.locator('[data-testid="excluded"] li').count()).toBeGreaterThan(0)
    const stored = await e2eDb()
      .selectFrom('case_recommendations')
      .select(['items'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow()
    expect(JSON.parse(stored.items)[0]).toHaveProperty('components.domain')

    await item.getByRole('button', { name: '邀请' }).click()
    await page.locator('[data-testid="consultations"] li').first().waitFor()
    const row = await e2eDb().selectFrom('case_consultations').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ expert_id: expertId, status: 'invited', source: 'recommended' })
  })

  it('the expert accepts and writes the opinion on a phone', async () => {
    expect(caseId).not.toBe('')
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'expert')
    await page.goto('/me/consultations')
    await page.getByRole('link', { name: title }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/me/consultations/'))
    expect(await page.content()).not.toContain(idNumber)
    await page.getByRole('button', { name: '接受邀请' }).click()
    await page.locator('textarea[name="issues"]').waitFor()
    await page.locator('textarea[name="issues"]').fill('抚养费标准与共同财产范围')
    await page.locator('textarea[name="analysis"]').fill('结合双方收入及子女实际需要分析。')
    await page.locator('textarea[name="resolution"]').fill('建议按月支付抚养费，房屋折价补偿。')
    await page.locator('textarea[name="legalBasis"]').fill('《民法典》第一千零八十五条')
    await page.locator('input[name="hours"]').fill('3.5')
    await page.getByRole('button', { name: '提交意见' }).click()
    await page.locator('[data-testid="opinion"]').waitFor()
    const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
    expect(scrollWidth).toBeLessThanOrEqual(width!)
    const row = await e2eDb().selectFrom('case_consultations').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'submitted', hours_tenths: 35, opinion_issues: '抚养费标准与共同财产范围' })
  })

  it('the staff rate the expert, which feeds the expert’s history', async () => {
    const before = await e2eDb().selectFrom('expert_loads').selectAll().where('expert_id', '=', expertId).executeTakeFirstOrThrow()
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto(`/cases/${caseId}`)
    await page.locator('select[name="rating"]').selectOption('5')
    await page.locator('input[name="comment"]').fill('意见专业、及时')
    await page.getByRole('button', { name: '评价', exact: true }).click()
    await page.locator('[data-testid="consultation-status"]', { hasText: '已评价' }).waitFor()
    const after = await e2eDb().selectFrom('expert_loads').selectAll().where('expert_id', '=', expertId).executeTakeFirstOrThrow()
    expect(after.rating_count).toBe(before.rating_count + 1)
    expect(after.rating_sum).toBe(before.rating_sum + 5)
    expect(after.hours_tenths).toBe(before.hours_tenths + 35)
  })

  it('staff diversify the recommendations and pin a conflict of interest without inviting', async () => {
    expect(caseId).not.toBe('')
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.goto(`/cases/${caseId}`)
    await page.getByLabel('避免集中于同一单位').check()
    await page.getByRole('button', { name: '重新推荐' }).click()
    await page.locator('[data-testid="diversified"]').waitFor()
    const latest = () =>
      e2eDb()
        .selectFrom('case_recommendations')
        .select(['items', 'excluded'])
        .where('case_id', '=', caseId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    expect(JSON.parse((await latest()).excluded).diversify).toEqual({ maxPerOrganisation: 2 })

    const other = await e2eDb()
      .selectFrom('experts as e')
      .innerJoin('expert_domains as d', 'd.expert_id', 'e.person_id')
      .select(['e.person_id', 'e.name'])
      .where('d.dispute_type_code', '=', '婚姻家庭')
      .where('e.person_id', '!=', expertId)
      .where('e.status', '=', 'active')
      .orderBy('e.person_id')
      .executeTakeFirstOrThrow()
    await page.goto(`/cases/${caseId}?q=${encodeURIComponent(other.name)}`)
    const form = page.locator('[data-testid="pin-form"]').filter({ has: page.locator(`input[value="${other.person_id}"]`) })
    await form.locator('input[name="reason"]').fill('曾为一方当事人提供法律服务')
    await form.getByRole('button', { name: '指定回避' }).click()
    await page.locator(`[data-testid="pins"] li[data-expert-id="${other.person_id}"]`).waitFor()
    const pin = await e2eDb().selectFrom('case_decisions').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow()
    expect(pin).toMatchObject({ kind: 'conflict_pin', subject: other.person_id, reason: '曾为一方当事人提供法律服务' })
    const items = JSON.parse((await latest()).items) as { expertId: string }[]
    expect(items.map((i) => i.expertId)).not.toContain(other.person_id)
  })

  it('a batch over the demo’s waiting cases is planned and confirmed', async () => {
    const page = await newPage()
    await signIn(page, 'bj.staff')
    await page.goto('/cases/batch')
    const boxes = page.locator('[data-testid="batch-cases"] input[name="caseId"]')
    expect(await boxes.count()).toBeGreaterThanOrEqual(20)
    await page.getByRole('button', { name: '计算方案' }).click()
    await page.locator('[data-testid="batch-summary"]').waitFor()
    const proposed = await page.locator('[data-testid="batch-plan"] input[name="keep"]').count()
    expect(proposed).toBeGreaterThan(10)
    await page.getByRole('button', { name: '确认指派' }).click()
    await page.waitForURL((url) => url.pathname === '/cases/batch')
    await page.locator('[role="status"]', { hasText: '已发出' }).waitFor()
    const rows = await e2eDb().selectFrom('case_consultations').select(['expert_id']).where('source', '=', 'batch').execute()
    expect(rows.length).toBeGreaterThan(10)
    // Nobody above capacity.
    const over = await e2eDb()
      .selectFrom('expert_loads as l')
      .innerJoin('experts as e', 'e.person_id', 'l.expert_id')
      .select('l.expert_id')
      .whereRef('l.active_count', '>', 'e.max_concurrent_cases')
      .execute()
    expect(over).toEqual([])
  })

  it('municipal staff edit the tier-fit and proximity tables on a phone; a bad value is refused and kept', async () => {
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'bj.staff')
    await page.goto('/cases/matching-config')
    const before = await e2eDb().selectFrom('match_configs').select('version').orderBy('version', 'desc').executeTakeFirst()
    const cell = page.locator('input[name="tierFit.ordinary.national"]')
    const original = await cell.inputValue()
    // Readable at 360 px: the page itself does not scroll sideways (wide tables scroll in their box).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await cell.fill('0.45')
    await page.locator('input[name="rotation.horizonDays"]').fill('120')
    await page.locator('input[name="note"]').fill('e2e 层级适配')
    await page.getByRole('button', { name: '保存为新版本' }).click()
    await page.locator('[role="status"]', { hasText: '匹配规则' }).waitFor()
    const saved = await e2eDb()
      .selectFrom('match_configs')
      .select(['version', 'config'])
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow()
    expect(saved.version).toBe((before?.version ?? 0) + 1)
    const config = JSON.parse(saved.config)
    expect(config.tierFit.ordinary.national).toBe(0.45)
    expect(config.rotation.horizonDays).toBe(120)

    // The browser would stop 1.5 (max 1); without that check the server refuses it by name.
    await page.locator('input[name="proximity.byLevelsUp.0"]').fill('1.5')
    await page.locator('form[action="/cases/matching-config"]').evaluate((form) => {
      ;(form as HTMLFormElement).noValidate = true
    })
    await page.getByRole('button', { name: '保存为新版本' }).click()
    const alert = page.locator('[data-testid="config-problems"]')
    await alert.waitFor()
    expect(await alert.textContent()).toContain('同一区县')
    expect(await page.locator('input[name="proximity.byLevelsUp.0"]').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('input[name="proximity.byLevelsUp.0"]').inputValue()).toBe('1.5')
    const unchanged = await e2eDb().selectFrom('match_configs').select('version').orderBy('version', 'desc').executeTakeFirstOrThrow()
    expect(unchanged.version).toBe(saved.version)

    // Put the value back for the other tests.
    await page.goto('/cases/matching-config')
    await page.locator('input[name="tierFit.ordinary.national"]').fill(original)
    await page.locator('input[name="rotation.horizonDays"]').fill(String(180))
    await page.getByRole('button', { name: '保存为新版本' }).click()
    await page.locator('[role="status"]', { hasText: '匹配规则' }).waitFor()
  })
})
