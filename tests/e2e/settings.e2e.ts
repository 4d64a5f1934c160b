/**
 * Settings administration (系统设置) in the browser: the administrator finds the page in the
 * sidebar, an out-of-range value is refused with the setting's own limit and the input kept, a
 * valid value is saved, and a second administrator saving over a changed setting is told to
 * reload. Values written are the defaults, so other e2e files see no difference.
 */
import { describe, expect, it } from 'vitest'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const stored = (key: string) => e2eDb().selectFrom('settings').select(['value', 'version']).where('key', '=', key).executeTakeFirst()

describe('settings administration', () => {
  it('the administrator edits a setting: invalid value refused, valid value saved', async () => {
    const page = await newPage()
    await signIn(page, 'admin')
    await page.locator('a[href="/admin/settings"]:visible').first().click()
    await page.waitForURL((url) => url.pathname === '/admin/settings')
    await page.locator('h1', { hasText: '系统设置' }).waitFor()
    expect(await page.locator('section[aria-labelledby^="settings-"] > h2').allTextContents()).toEqual([
      '专家库',
      '培训',
      '案例库',
      '工作台',
      '审计日志',
      '等级评定',
      '两步验证',
      '状态通知',
      '公开名录',
      '当事人信息保存',
    ])

    const item = page.locator('[data-testid="setting-experts.renewalWindowDays"]')
    expect(await item.locator('h3').textContent()).toBe('续聘提醒天数')
    const field = item.locator('input[name="value"]')
    await field.fill('1000')
    await item.getByRole('button', { name: '保存' }).click()
    await item.locator('.field-error', { hasText: '不能大于 730' }).waitFor()
    expect(await field.inputValue()).toBe('1000')
    expect((await stored('experts.renewalWindowDays'))?.value ?? null).not.toBe('1000')

    await field.fill('60')
    await item.getByRole('button', { name: '保存' }).click()
    await page.getByText('设置已保存。').waitFor()
    expect((await stored('experts.renewalWindowDays'))?.value).toBe('60')
    expect(await item.locator('[data-testid="setting-value"]').textContent()).toContain('60')
  })

  it('a second administrator saving over a changed setting is told to reload, nothing overwritten', async () => {
    const first = await newPage()
    const second = await newPage()
    await signIn(first, 'admin')
    await signIn(second, 'admin')
    await first.goto('/admin/settings')
    await second.goto('/admin/settings')
    const key = 'experts.ageLimit'
    const before = (await stored(key))?.version ?? 0

    const a = first.locator(`[data-testid="setting-${key}"]`)
    await a.locator('input[name="value"]').fill('70')
    await a.getByRole('button', { name: '保存' }).click()
    await first.getByText('设置已保存。').waitFor()
    expect((await stored(key))?.version).toBe(before + 1)

    const b = second.locator(`[data-testid="setting-${key}"]`)
    await b.locator('input[name="value"]').fill('71')
    await b.getByRole('button', { name: '保存' }).click()
    await b.locator('[role="alert"]', { hasText: '请重新加载页面' }).waitFor()
    expect(await b.locator('input[name="value"]').inputValue()).toBe('71')
    expect(await stored(key)).toEqual({ value: '70', version: before + 1 })
  })
})
