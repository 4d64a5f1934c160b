/**
 * Case library pushed into case work (案例推送): a difficult case's page shows similar library
 * cases. The demo's property-management (物业) case in 海淀区 is opened by Haidian bureau staff;
 * the library has curated 物业 cases, so they are suggested with the reason "same dispute type",
 * and the link opens the library case. Then the whole way round: a mediator writes a case (similar
 * cases follow the draft as it is typed), the association accepts it, and the accepted case is
 * suggested on a difficult case about the same matter.
 */
import { describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const UNIQUE = `云帆${Date.now().toString(36).toUpperCase()}`

describe('similar library cases on a difficult case', () => {
  it('Haidian staff see curated cases of the same dispute type on a 物业 case and open one', async () => {
    const kase = await e2eDb()
      .selectFrom('cases as c')
      .innerJoin('regions as r', 'r.code', 'c.region_code')
      .select(['c.id', 'c.title'])
      .where('c.dispute_type_code', '=', '物业')
      .where('r.path', 'like', '/110000/110108/%')
      .orderBy('c.id')
      .executeTakeFirstOrThrow()

    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'hd.staff')
    await page.goto(`/cases/${kase.id}`)
    expect(await page.locator('h1').textContent()).toContain(kase.title)
    const similar = page.locator('[data-testid="similar-cases"]')
    expect(await similar.locator('h2').textContent()).toBe('相似案例')
    const curated = similar.locator('a[href^="/library/wuye-"]')
    expect(await curated.count()).toBeGreaterThan(0)
    expect(await similar.textContent()).toContain('同为物业纠纷')
    const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
    expect(scrollWidth).toBeLessThanOrEqual(width!)

    const href = (await curated.first().getAttribute('href'))!
    const title = (await curated.first().textContent())!
    await curated.first().click()
    await page.waitForURL((url) => url.pathname === href)
    // The address changes before the new page has rendered: wait for its heading.
    await page.locator('h1', { hasText: title.trim() }).waitFor({ timeout: 10_000 })
    expect(await page.locator('h1').textContent()).toContain(title.trim())
  })

  it('a case a mediator wrote and the association accepted is suggested on a matching difficult case', async () => {
    const mediator = await newPage({ viewport: 'phone' })
    await signIn(mediator, 'mediator')
    await mediator.goto('/library/submissions/new')
    // Similar cases appear while typing (debounced fetcher to the resource route), before any save.
    const live = mediator.locator('[data-testid="live-similar"]')
    await mediator.locator('input[name="title"]').fill(`${UNIQUE}健身房闭店，会员预付卡退费难`)
    await mediator.locator('select[name="disputeType"]').selectOption('消费')
    await mediator
      .locator('textarea[name="facts"]')
      .fill(`${UNIQUE}健身房突然闭店，两百余名会员的预付卡余额无法退还，会员多次到店讨要未果。`)
    await expect.poll(() => live.locator('[data-testid="similar-cases"] li').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    expect(await live.textContent()).toContain('同为消费纠纷')
    expect(await e2eDb().selectFrom('library_submissions').select('id').where('title', 'like', `${UNIQUE}%`).execute()).toEqual([])

    await mediator.locator('input[name="summary"]').fill('健身房闭店，调解员促成经营者分期退还预付卡余额。')
    await mediator.locator('input[name="year"]').fill('2026')
    await mediator.locator('select[name="source"]').selectOption('当事人申请')
    await mediator.locator('select[name="outcome"]').selectOption('书面协议')
    await mediator.locator('select[name="amountRange"]').selectOption('10万-50万')
    await mediator.locator('input[name="domains"][value="消费"]').check()
    await mediator.locator('input[name="techniques"][value="引导协商"]').check()
    await mediator.locator('input[name="tags"]').fill('预付卡、健身房')
    await mediator.locator('textarea[name="process"]').fill('调解员召集会员代表与经营者协商，核对每张预付卡余额。')
    await mediator.locator('textarea[name="result"]').fill('经营者分三期退还全部余额。')
    await mediator.locator('textarea[name="commentary"]').fill('预付式消费纠纷人数多，宜推选代表集中协商。')
    await mediator.getByRole('button', { name: '提交评审' }).click()
    await mediator.waitForURL(/\/library\/submissions\/[0-9A-Z]{26}$/)
    await mediator.locator('[data-testid="submission-status"]').waitFor()
    const id = new URL(mediator.url()).pathname.split('/').pop()!

    const reviewer = await newPage()
    await signIn(reviewer, 'hd.assoc')
    await reviewer.goto(`/library/submissions/${id}`)
    await reviewer.locator('select[name="novelty"]').selectOption('4')
    await reviewer.locator('#review-comments').fill('典型性强，同意录用。')
    await reviewer.getByRole('button', { name: '录用' }).click()
    await reviewer.waitForURL(new RegExp(`/library/${id}$`))
    await reviewer.locator('h1', { hasText: UNIQUE }).waitFor({ timeout: 10_000 })

    // A difficult case about the same matter, registered in 海淀区.
    const db = e2eDb()
    // The committee of a demo case in 海淀区 handles it.
    const org = await db
      .selectFrom('cases as c')
      .innerJoin('regions as r', 'r.code', 'c.region_code')
      .select(['c.org_id as id'])
      .where('r.path', 'like', '/110000/110108/%')
      .orderBy('c.id')
      .executeTakeFirstOrThrow()
    const caseId = newId()
    const now = new Date().toISOString()
    const today = now.slice(0, 10)
    await db
      .insertInto('cases')
      .values({
        id: caseId,
        case_number: `（2026）海调字第${caseId.slice(-6)}号`,
        org_id: org.id,
        case_year: 2026,
        case_seq: 900_000 + Math.floor(Math.random() * 90_000),
        title: `${UNIQUE}健身房闭店预付卡群体纠纷`,
        summary: '健身房闭店后会员预付卡余额无法退还，会员人数众多。',
        dispute_type_code: '消费',
        domains: '[]',
        region_code: '110108',
        source: 'party',
        difficulty: 'complex',
        amount_fen: null,
        party_count: 2,
        experts_needed: 1,
        experts_assigned: 0,
        requirements: '[]',
        requires_outside_region: 0,
        consultation_mode: 'written',
        period_start: today,
        period_end: today,
        deadline: today,
        status: 'registered',
        registered_at: now,
        accepted_at: null,
        mediation_started_at: null,
        concluded_at: null,
        closed_at: null,
        archived_at: null,
        outcome_note: null,
        version: 1,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute()

    const staff = await newPage({ viewport: 'phone' })
    await signIn(staff, 'hd.staff')
    await staff.goto(`/cases/${caseId}`)
    await staff.locator('h1', { hasText: UNIQUE }).waitFor({ timeout: 10_000 })
    const similar = staff.locator('[data-testid="similar-cases"]')
    const accepted = similar.locator(`a[href="/library/${id}"]`)
    expect(await accepted.textContent()).toContain(UNIQUE)
    expect(await similar.locator('li').first().textContent()).toContain(UNIQUE)
    await accepted.click()
    await staff.waitForURL((url) => url.pathname === `/library/${id}`)
    await staff.locator('h1', { hasText: UNIQUE }).waitFor({ timeout: 10_000 })
  })
})
