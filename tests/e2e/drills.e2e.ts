/**
 * Drills in the browser with the demo accounts: a mediator takes a quiz and reads the
 * explanations, walks a simulated mediation to an ending and its debrief, and submits a draft
 * that the demo reviewer grades; the mediator then reads the scores and comments. Mediator flows
 * run on a 360 px phone as well.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

async function noSidewaysScroll(page: Page): Promise<void> {
  const [width, scrollWidth] = await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth])
  expect(scrollWidth).toBeLessThanOrEqual(width!)
}

async function startDrill(page: Page, slug: string): Promise<void> {
  await page.goto('/drills')
  await page.locator(`a[href="/drills/${slug}"]`).click()
  await page.waitForURL(`**/drills/${slug}`)
  await page.getByRole('button', { name: /开始练兵|继续作答/ }).click()
  await page.waitForURL(/\/attempts\//)
}

describe('quizzes', () => {
  it.each(['phone', 'desktop'] as const)('a mediator takes a quiz on a %s and sees the explanations', async (viewport) => {
    const page = await newPage({ viewport })
    await signIn(page, 'mediator')
    await startDrill(page, 'quiz-renmin-tiaojie-fa')
    await noSidewaysScroll(page)
    expect(await page.locator('[data-testid="explanation"]').count()).toBe(0)
    for (const item of await page.locator('li[data-item]').all()) {
      const text = item.locator('input:not([type])')
      if (await text.count()) await text.fill('不收取任何费用')
      else await item.locator('input').first().check()
    }
    await page.getByRole('button', { name: '暂存' }).click()
    await page.getByText('已保存。').waitFor()
    await page.getByRole('button', { name: '交卷' }).click()
    await page.locator('[data-testid="attempt-score"]').waitFor()
    expect(await page.locator('[data-testid="explanation"]').count()).toBe(12)
    expect(await page.locator('[data-testid="explanation"]').first().textContent()).toContain('参考答案')
    expect(await page.locator('[data-testid="debrief"]').textContent()).toContain('司法确认')
    await noSidewaysScroll(page)
  })
})

describe('scenarios', () => {
  it.each(['phone', 'desktop'] as const)('a mediator walks a simulated mediation to an ending on a %s', async (viewport) => {
    const page = await newPage({ viewport })
    await signIn(page, 'mediator')
    await startDrill(page, 'scenario-linli-loushui')
    // Always the first choice; each step adds one entry to the history, the last shows the ending.
    for (let step = 1; step < 20; step++) {
      await page.locator('[data-testid="scenario-current"] button:not([disabled])').first().click()
      await page
        .locator('[data-testid="scenario-history"] > li')
        .nth(step - 1)
        .waitFor()
      if (await page.locator('[data-testid="scenario-ending"]').count()) break
    }
    expect(await page.locator('[data-testid="scenario-ending"]').textContent()).toContain('调解成功')
    expect(await page.locator('[data-testid="debrief"]').textContent()).toContain('相邻关系')
    await noSidewaysScroll(page)
  })
})

describe('drafting and grading', () => {
  it('a mediator submits a draft on a phone, the reviewer grades it, the mediator reads the feedback', async () => {
    const mediator = await newPage({ viewport: 'phone' })
    await signIn(mediator, 'mediator')
    await startDrill(mediator, 'drafting-xieyi-chongwu-yaoshang')
    const attemptUrl = new URL(mediator.url()).pathname
    const attemptId = attemptUrl.split('/').at(-1)!
    await mediator
      .locator('textarea[name="text"]')
      .fill(
        '人民调解协议书\n申请人：张淑芬，女，1962年3月出生，住址：某小区6号楼。\n被申请人：刘宇，男，1990年7月出生，住址：某小区8号楼。\n纠纷主要事实：犬只咬伤申请人。\n经调解，双方自愿达成如下协议：被申请人赔偿申请人4600元。\n履行方式、期限：2026年11月30日前银行转账支付。\n自双方签名、调解员签名并加盖人民调解委员会印章之日起生效。',
      )
    await mediator.getByRole('button', { name: '暂存' }).click()
    await mediator.getByText('已保存。').waitFor()
    expect(await mediator.locator('[data-check="signatures"]').getAttribute('data-present')).toBe('yes')
    await mediator.getByRole('button', { name: '提交评分' }).click()
    await mediator.getByText('等待评审专家评分').waitFor()
    await noSidewaysScroll(mediator)

    const reviewer = await newPage()
    await signIn(reviewer, 'reviewer')
    await reviewer.goto('/drills/grading')
    await reviewer.locator(`a[href="/drills/grading/${attemptId}"]`).click()
    await reviewer.waitForURL(`**/drills/grading/${attemptId}`)
    const body = (await reviewer.locator('main').textContent()) ?? ''
    const author = await e2eDb()
      .selectFrom('drill_attempts as a')
      .innerJoin('people as p', 'p.id', 'a.person_id')
      .select('p.name')
      .where('a.id', '=', attemptId)
      .executeTakeFirstOrThrow()
    expect(body).not.toContain(author.name)
    for (const [criterion, points] of [
      ['elements', '17'],
      ['facts', '12'],
      ['law', '12'],
      ['terms', '15'],
      ['language', '9'],
    ] as const) {
      await reviewer.locator(`input[name="p.${criterion}"]`).fill(points)
    }
    // The live total updates as the grader types (and is computed on the server on save).
    expect(await reviewer.locator('[data-testid="live-total"]').textContent()).toContain('75.5 / 95')
    await reviewer.locator('input[name="c.terms"]').fill('第二期付款方式未写明。')
    await reviewer.locator('textarea[name="comment"]').fill('要素基本齐全，注意履行条款要具体。')
    await reviewer.getByRole('button', { name: '定稿提交' }).click()
    await reviewer.getByText('评分已定稿。').waitFor()

    await mediator.goto(attemptUrl)
    const feedback = (await mediator.locator('[data-testid="feedback"]').textContent()) ?? ''
    expect(feedback).toContain('第二期付款方式未写明。')
    expect(feedback).toContain('要素基本齐全')
    expect(await mediator.locator('[data-testid="attempt-score"]').textContent()).toContain('得分 79')
    await noSidewaysScroll(mediator)
  })
})

describe('drill events', () => {
  it('the demo mediator sees the seeded event on a phone, takes part, and finds themself on the leaderboard', async () => {
    const page = await newPage({ viewport: 'phone' })
    await signIn(page, 'mediator')
    await page.goto('/drills')
    const event = page.locator('[data-testid="my-events"] a').first()
    await event.click()
    await page.waitForURL(/\/drills\/events\//)
    await noSidewaysScroll(page)
    const eventUrl = new URL(page.url()).pathname
    await page.locator('form:has(input[value="scenario-linli-loushui"]) button').click()
    await page.waitForURL(/\/attempts\//)
    for (let step = 1; step < 20; step++) {
      await page.locator('[data-testid="scenario-current"] button:not([disabled])').first().click()
      await page
        .locator('[data-testid="scenario-history"] > li')
        .nth(step - 1)
        .waitFor()
      if (await page.locator('[data-testid="scenario-ending"]').count()) break
    }
    await page.goto(eventUrl)
    const board = (await page.locator('[data-testid="leaderboard"]').textContent()) ?? ''
    const me = await e2eDb()
      .selectFrom('users as u')
      .innerJoin('people as p', 'p.id', 'u.person_id')
      .select('p.name')
      .where('u.username', '=', 'mediator')
      .executeTakeFirstOrThrow()
    expect(board).toContain(me.name)
    expect(board).toContain('50')
  })
})
