/**
 * The case library in the browser: a mediator on a phone searches, reads, bookmarks and notes a
 * curated case, then writes and submits a case; the Haidian association reviews and accepts it
 * (录用); the accepted case is then found by search and listed on the mediator's record.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const UNIQUE = `星河${Date.now().toString(36).toUpperCase()}`

async function noHorizontalScroll(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(width).toBeLessThanOrEqual(362)
}

describe('case library', () => {
  it('a mediator on a phone searches, reads, bookmarks and notes a case', async () => {
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'mediator')
    await page.goto(`/library?q=${encodeURIComponent('拖欠物业费')}`)
    const first = page.locator('[data-testid="library-results"] > li').first()
    await expect.poll(() => first.textContent()).toContain('物业费')
    expect(await first.locator('mark').count()).toBeGreaterThan(0)
    await noHorizontalScroll(page)
    await first.locator('h2 a').click()
    await page.waitForURL(/\/library\/wuye-qianfei-beikaobei$/)
    expect(await page.locator('nav[aria-label="目录"]').textContent()).toContain('调解过程')
    expect(await page.locator('[data-testid="case-body"] h2#基本案情').count()).toBe(1)
    await noHorizontalScroll(page)
    await page.getByRole('button', { name: '收藏', exact: true }).click()
    await page.getByRole('button', { name: '取消收藏' }).waitFor()
    await page.locator('#library-note').fill('背靠背：先分开谈，再算账')
    const saved = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/library/wuye-qianfei-beikaobei'))
    await page.getByRole('button', { name: '保存笔记' }).click()
    await saved
    const notes = () => e2eDb().selectFrom('library_notes').select('body').where('case_key', '=', 'wuye-qianfei-beikaobei').execute()
    await expect.poll(async () => (await notes()).map((n) => n.body)).toContain('背靠背：先分开谈，再算账')
    await page.reload()
    expect(await page.locator('#library-note').inputValue()).toBe('背靠背：先分开谈，再算账')
    await page.goto('/library?bookmarked=1')
    expect(await page.locator('[data-testid="library-results"] > li').count()).toBe(1)
    // Nothing found: the help says what to try.
    await page.goto(`/library?q=${encodeURIComponent('量子纠缠超导芯片')}`)
    expect(await page.locator('[data-testid="library-empty"]').textContent()).toContain('第三十一条')
  })

  it('a mediator submits a case; the association accepts it; it is found by search', async () => {
    const mediator = await newPage({ viewport: 'phone' })
    await signIn(mediator, 'mediator')
    await mediator.goto('/library/submissions/new')
    await mediator.locator('input[name="title"]').fill(`快递丢件拒赔，${UNIQUE}驿站调解后赔付`)
    await mediator.locator('input[name="summary"]').fill('快递丢失后驿站与快递公司互相推诿，调解员促成先行赔付。')
    await mediator.locator('select[name="disputeType"]').selectOption('消费')
    await mediator.locator('input[name="year"]').fill('2026')
    await mediator.locator('select[name="source"]').selectOption('当事人申请')
    await mediator.locator('select[name="outcome"]').selectOption('书面协议')
    await mediator.locator('select[name="amountRange"]').selectOption('1万以下')
    await mediator.locator('input[name="domains"][value="消费"]').check()
    await mediator.locator('input[name="techniques"][value="引导协商"]').check()
    await mediator.locator('input[name="legalBasis"]').fill('消费者权益保护法第四十条')
    await mediator.locator('input[name="tags"]').fill('快递、丢件')
    await mediator
      .locator('textarea[name="facts"]')
      .fill(`张某的快递在${UNIQUE}驿站丢失，驿站与快递公司互相推诿。<script>alert(1)</script>`)
    await mediator.locator('textarea[name="process"]').fill('调解员**分别联系**驿站和快递公司，调取签收记录。')
    await mediator.locator('textarea[name="result"]').fill('快递公司先行赔付八百元。')
    await mediator.locator('textarea[name="commentary"]').fill('快递丢件纠纷应先明确责任主体。')
    await noHorizontalScroll(mediator)
    await mediator.getByRole('button', { name: '提交评审' }).click()
    await mediator.waitForURL(/\/library\/submissions\/[0-9A-Z]{26}$/)
    expect(await mediator.locator('[data-testid="submission-status"]').textContent()).toContain('评审中')
    expect(await mediator.locator('[data-testid="submission-preview"]').innerHTML()).toContain('&lt;script&gt;')
    const id = new URL(mediator.url()).pathname.split('/').pop()!

    const reviewer = await newPage()
    await signIn(reviewer, 'hd.assoc')
    await reviewer.goto('/library/submissions')
    await reviewer.locator(`[data-testid="review-queue"] a[href="/library/submissions/${id}"]`).click()
    await reviewer.waitForURL(new RegExp(`/library/submissions/${id}$`))
    await reviewer.locator('select[name="novelty"]').selectOption('4')
    await reviewer.locator('#review-comments').fill('事实清楚，处理规范，同意录用。')
    await reviewer.getByRole('button', { name: '录用' }).click()
    await reviewer.waitForURL(new RegExp(`/library/${id}$`))
    expect(await reviewer.locator('h1').textContent()).toContain(UNIQUE)
    const stored = await e2eDb()
      .selectFrom('library_submissions')
      .select(['status', 'accepted_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(stored.status).toBe('accepted')

    await mediator.goto(`/library?q=${encodeURIComponent(`${UNIQUE}驿站`)}`)
    await expect.poll(() => mediator.locator('[data-testid="library-results"] > li').first().textContent()).toContain(UNIQUE)
    // Similar cases while writing another consumer case.
    await mediator.goto(`/library/submissions/${id}`)
    expect(await mediator.locator('[data-testid="submission-status"]').textContent()).toContain('已录用')
    // The accepted case is on the mediator's record (录用案例), with its date and reviewer.
    await mediator.goto('/people/me')
    const acceptedCases = mediator.locator('[data-testid="accepted-cases"]')
    expect(await acceptedCases.locator('h2').textContent()).toBe('录用案例')
    expect(await acceptedCases.locator(`a[href="/library/${id}"]`).textContent()).toContain(UNIQUE)
    expect(await acceptedCases.textContent()).toContain('录用日期')
    await noHorizontalScroll(mediator)
  })
})
