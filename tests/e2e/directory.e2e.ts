/**
 * The public directory (公开名录) on a phone (360 px), without signing in: reached from the login
 * page, searched and filtered, each section showing the seeded data, no horizontal scrolling, no
 * ID or mobile number anywhere on the page, and responses a proxy may cache.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { baseUrl, newPage } from './browser.ts'

const ID_NUMBER = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/
const MOBILE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/

/** The page's text and its HTML (which carries the loader data too) hold no personal numbers. */
async function expectNoPersonalNumbers(page: Page): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText)
  const html = await page.content()
  for (const content of [text, html]) {
    expect(content).not.toMatch(ID_NUMBER)
    expect(content).not.toMatch(MOBILE)
  }
}

async function expectFitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
}

describe('the public directory on a phone', () => {
  it('finds organisations by search and region, graded mediators and experts, without personal numbers', { timeout: 120_000 }, async () => {
    const page = await newPage({ viewport: 'phone' })
    await page.goto('/login')
    await page.getByTestId('directory-link').click()
    await page.waitForURL((url) => url.pathname === '/directory')
    await page.getByRole('heading', { name: '调解组织', level: 1 }).waitFor()
    expect(await page.getByTestId('directory-org').count()).toBeGreaterThan(0)
    await expectFitsPhone(page)
    await expectNoPersonalNumbers(page)

    // Search: property disputes in Haidian.
    const filters = page.getByTestId('directory-filters')
    await filters.getByLabel('关键词').fill('物业')
    await filters.getByLabel('地区').selectOption('110108')
    await filters.getByRole('button', { name: '查询' }).click()
    await page.waitForURL((url) => url.searchParams.get('q') === '物业' && url.searchParams.get('region') === '110108')
    const cards = page.getByTestId('directory-org')
    await cards.first().waitFor()
    const texts = await cards.allTextContents()
    expect(texts.length).toBeGreaterThan(0)
    for (const text of texts) expect(text).toContain('物业')
    expect(await page.getByTestId('directory-count').textContent()).toMatch(/^共 \d+ 条$/)
    await expectFitsPhone(page)
    await expectNoPersonalNumbers(page)

    // A search that matches nothing says so.
    await filters.getByLabel('关键词').fill('不存在的调解组织名称')
    await filters.getByRole('button', { name: '查询' }).click()
    await page.getByTestId('directory-none').waitFor()

    // Graded mediators: only published grades; the seeded mediator who hid their organisation shows it hidden.
    await page.getByRole('link', { name: '等级调解员' }).click()
    await page.waitForURL((url) => url.pathname === '/directory/mediators')
    const mediators = page.getByTestId('directory-mediator')
    await mediators.first().waitFor()
    expect(await mediators.count()).toBeGreaterThan(0)
    expect(await mediators.first().textContent()).toContain('人民调解员')
    expect(await page.getByText('本人选择不公开').count()).toBeGreaterThan(0)
    await expectFitsPhone(page)
    await expectNoPersonalNumbers(page)

    // Experts: the public fields only; search by a listed name finds that expert.
    await page.getByRole('link', { name: '调解专家' }).click()
    await page.waitForURL((url) => url.pathname === '/directory/experts')
    const experts = page.getByTestId('directory-expert')
    await experts.first().waitFor()
    const name = (await experts.first().locator('h2').textContent())!.trim()
    await page.getByTestId('directory-filters').getByLabel('关键词').fill(name)
    await page.getByTestId('directory-filters').getByRole('button', { name: '查询' }).click()
    await page.waitForURL((url) => url.searchParams.get('q') === name)
    await page.getByTestId('directory-expert').first().waitFor()
    expect(await page.getByTestId('directory-expert').locator('h2').allTextContents()).toContain(name)
    expect(await page.getByText('工作单位').count()).toBeGreaterThan(0)
    await expectFitsPhone(page)
    await expectNoPersonalNumbers(page)
  })

  it('answers anonymous requests with a shareable, cacheable page and no cookie', async () => {
    const response = await fetch(`${baseUrl()}/directory/mediators?region=110000`, { headers: { 'Accept-Language': 'zh-CN' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/)
    expect(response.headers.get('cache-control')).not.toContain('no-store')
    expect(response.headers.get('vary')).toContain('Accept-Language')
    expect(response.headers.get('set-cookie')).toBeNull()
    const html = await response.text()
    expect(html).toContain('等级调解员')
    expect(html).not.toMatch(MOBILE)
    expect(html).not.toMatch(ID_NUMBER)
  })
})
