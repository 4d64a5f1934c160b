/**
 * Training on a phone: the demo mediator completes every module of a course, each with its
 * end-of-module check. The minimum reading time is enforced by the server's clock; this run
 * lowers it through the deployment setting `training.readingFactor` (stored in the e2e database's
 * settings table, restored afterwards) so a 15-minute module needs about 5 seconds instead of 7½
 * minutes. A submit before that is refused; progress, hours and the certificate then update.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeSetting } from '#app/lib/settings.server.ts'
import { loadCourse, type TrainingCourse } from '#app/modules/training/content.server.ts'
import { TRAINING_SETTINGS } from '#app/modules/training/settings.server.ts'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const COURSE = 'wuye-jiufen'
// 15-minute modules × 0.005 = 4.5 s, rounded up to 5 s by the server.
const FACTOR = 0.005
const WAIT_MS = 5_500

let course: TrainingCourse

beforeAll(async () => {
  course = (await loadCourse(null, COURSE))!
  await writeSetting(e2eDb(), TRAINING_SETTINGS.readingFactor, FACTOR, null)
})

afterAll(async () => {
  await e2eDb().deleteFrom('settings').where('key', '=', TRAINING_SETTINGS.readingFactor.key).execute()
})

async function answerCheck(page: Page, moduleSlug: string) {
  const module = course.modules.find((m) => m.slug === moduleSlug)!
  for (const q of module.frontmatter.check!.questions) {
    await page.locator(`input[name="answer.${q.id}"][value="${q.answer}"]`).check()
  }
}

async function hoursThisYear(page: Page): Promise<number> {
  await page.goto('/training')
  const text = (await page.getByTestId('hours-this-year').textContent()) ?? ''
  return Number(/：\s*([\d.]+)/.exec(text)?.[1])
}

describe('a mediator completes a course on a phone', () => {
  it(
    'reads, is refused when too quick, completes every module with its check, and sees progress, hours and the certificate',
    { timeout: 120_000 },
    async () => {
      const page = await newPage({ viewport: 'phone' })
      await signIn(page, 'mediator')
      const hoursBefore = await hoursThisYear(page)
      expect(Number.isFinite(hoursBefore)).toBe(true)

      await page.getByRole('link', { name: '物业纠纷调解' }).click()
      await page.waitForURL(`**/training/courses/${COURSE}`)
      await page.getByTestId('module-list').waitFor()
      expect(await page.getByTestId('progress-label').textContent()).toContain('0/4')

      await page.getByTestId('course-continue').click()
      const first = course.modules[0]!
      await page.waitForURL(`**/training/courses/${COURSE}/${first.slug}`)
      await page.getByTestId('module-body').waitFor()
      expect(await page.getByTestId('toc').locator('a').count()).toBeGreaterThanOrEqual(2)
      const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
      expect(scrollWidth).toBeLessThanOrEqual(width!)

      // Straight away: the server refuses, whatever the browser thinks.
      await answerCheck(page, first.slug)
      await page.getByRole('button', { name: '提交并完成本单元' }).click()
      await expect(page.getByTestId('refusal').textContent()).resolves.toContain('阅读时间不足')

      for (const [index, module] of course.modules.entries()) {
        if (index > 0) {
          await page.goto(`/training/courses/${COURSE}/${module.slug}`)
        }
        await page.waitForTimeout(WAIT_MS)
        await answerCheck(page, module.slug)
        await page.getByRole('button', { name: '提交并完成本单元' }).click()
        await page.getByTestId('completed-at').waitFor()
      }
      // The last module completed the course: the flash names the certificate.
      const flash = (await page.locator('[role="status"], [role="alert"]').allTextContents()).join(' ')
      const number = /TJ-\d{4}-[0-9A-Z]{8}/.exec(flash)?.[0]
      expect(number, flash).toBeTruthy()

      await page.goto(`/training/courses/${COURSE}`)
      await page.getByTestId('module-list').waitFor()
      expect(await page.getByTestId('progress-label').textContent()).toContain('4/4')
      expect(await page.getByRole('progressbar').first().getAttribute('value')).toBe('100')

      expect(await hoursThisYear(page)).toBeCloseTo(hoursBefore + 1.5)
      const record = await e2eDb().selectFrom('training_records').selectAll().where('course_slug', '=', COURSE).execute()
      expect(record).toHaveLength(1)
      expect(record[0]!.hours_tenths).toBe(15)

      // The printable certificate and its public verification page.
      await page.goto(`/training/certificates/${number}`)
      expect(await page.getByTestId('certificate').textContent()).toContain('物业纠纷调解')
      await expect(page.getByRole('button', { name: '打印证书' }).isVisible()).resolves.toBe(true)

      const visitor = await newPage({ viewport: 'phone' })
      const response = await visitor.goto(`/certificates/${number}`)
      expect(response?.status()).toBe(200)
      expect(await visitor.getByTestId('certificate-status').textContent()).toBe('有效')
      const holderName = (
        await e2eDb().selectFrom('people').select('name').where('id', '=', record[0]!.person_id).executeTakeFirstOrThrow()
      ).name
      expect(await visitor.getByTestId('verification').textContent()).not.toContain(holderName)
    },
  )
})

describe('an organisation manager records offline training', () => {
  it('sets a plan, records a session, fixes a bad attendee, and sees compliance change', { timeout: 90_000 }, async () => {
    const db = e2eDb()
    const manager = await db
      .selectFrom('users as u')
      .innerJoin('role_grants as g', 'g.user_id', 'u.id')
      .select('g.org_id')
      .where('u.username', '=', 'org.manager')
      .where('g.role', '=', 'org_manager')
      .executeTakeFirstOrThrow()
    const orgId = manager.org_id!
    const mediator = await db
      .selectFrom('mediators as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select(['m.person_id', 'm.card_number', 'p.name'])
      .where('m.org_id', '=', orgId)
      .where('m.status', '=', 'active')
      .where('m.card_number', 'is not', null)
      .orderBy('m.person_id')
      .executeTakeFirstOrThrow()
    const year = new Date().getUTCFullYear()

    const page = await newPage()
    await signIn(page, 'org.manager')

    await page.goto('/training/plans')
    await page.locator('[name="year"]').fill(String(year))
    await page.locator('[name="regionCode"]').selectOption({ index: 1 })
    await page.locator('[name="fullTimeHours"]').fill('40')
    await page.locator('[name="partTimeHours"]').fill('20')
    await page.locator('[name="sectorHours"]').fill('30')
    await page.locator('[name="preServiceMonths"]').fill('3')
    await page.getByRole('button', { name: '保存' }).click()
    await page.getByTestId('plans').waitFor()

    const earned = async () => {
      await page.goto(`/training/compliance?org=${orgId}&year=${year}`)
      const row = page.getByTestId('compliance-report').locator('tr', { hasText: mediator.name })
      return Number(await row.locator('td').nth(3).textContent())
    }
    const before = await earned()

    await page.goto('/training/sessions/new')
    await page.locator('[name="title"]').fill('年度业务培训（端到端测试）')
    await page.locator('[name="kind"]').selectOption('annual')
    await page.locator('[name="format"]').selectOption('classroom')
    await page.locator('[name="organiser"]').fill('区司法局')
    await page.locator('[name="organiserLevel"]').selectOption('district')
    await page.locator('[name="regionCode"]').selectOption({ index: 1 })
    await page.locator('[name="hours"]').fill('8')
    await page.locator('[name="startDate"]').fill(`${year}-06-01`)
    await page.locator('[name="endDate"]').fill(`${year}-06-02`)
    await page.getByRole('button', { name: '保存' }).click()
    await page.waitForURL(/\/training\/sessions\/[0-9A-Z]{26}$/)
    await page.getByTestId('attendees').waitFor({ state: 'attached' })

    await page.locator('[name="cardNumber"]').fill('NO-SUCH-CARD')
    await page.getByRole('button', { name: '登记', exact: true }).click()
    await page.getByText('未找到该工作证号的调解员').waitFor()
    // Enter submits: clicking would blur the field first, and the error line it clears moves the button.
    await page.locator('[name="cardNumber"]').fill(mediator.card_number!)
    await page.locator('[name="cardNumber"]').press('Enter')
    await page.getByTestId('attendees').getByText(mediator.name).waitFor()

    expect(await earned()).toBeCloseTo(before + 8)
  })
})
