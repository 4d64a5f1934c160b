/**
 * Case library pushed into case work (案例推送): a difficult case's page shows similar library
 * cases. The demo's property-management (物业) case in 海淀区 is opened by Haidian bureau staff;
 * the library has curated 物业 cases, so they are suggested with the reason "same dispute type",
 * and the link opens the library case.
 */
import { describe, expect, it } from 'vitest'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

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
})
