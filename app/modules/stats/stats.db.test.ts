/**
 * Every statistic against hand-computed numbers on the small fixture of tests/stats/world.ts,
 * through the page's loader with real Requests (scope from the session, filters from the URL),
 * and the export read back cell by cell.
 */
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loader as areaLoader } from '#app/routes/_app.stats.$area.tsx'
import { loader as exportLoader } from '#app/routes/_app.stats.$area_.export[.xlsx].tsx'
import { loader as indexLoader } from '#app/routes/_app.stats._index.tsx'
import { navigationFor } from '#app/modules/auth/navigation.ts'
import { getOptionalUser } from '#app/modules/auth/authz.server.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { call } from '#tests/security/world.ts'
import { type StatsWorld, buildStatsWorld } from '#tests/stats/world.ts'

let world: StatsWorld
beforeAll(async () => {
  world = await buildStatsWorld(testDb())
})

const PERIOD = 'from=2026-01-01&to=2026-12-05'

interface PageData {
  figures: { label: string; value: number | null }[]
  tables: { id: string; rows: { label: string; values: (number | null)[] }[]; svg: string | null; series: { header: string }[] }[]
  notes: string[]
}

async function page(user: keyof StatsWorld['users'], area: string, query = PERIOD): Promise<PageData> {
  const outcome = await call(areaLoader, `/stats/${area}?${query}`, { cookie: world.users[user].cookie, params: { area } })
  expect(outcome.status, `${user} ${area}`).toBe(200)
  return outcome.data as PageData
}

const figure = (data: PageData, label: string) => {
  const found = data.figures.find((f) => f.label === label)
  expect(found, label).toBeDefined()
  return found!.value
}
const table = (data: PageData, id: string) => {
  const found = data.tables.find((t) => t.id === id)
  expect(found, id).toBeDefined()
  return Object.fromEntries(found!.rows.map((r) => [r.label, r.values]))
}

describe(`statistics pages (${testDialect()})`, () => {
  it('expert pool: tiers, domains, load, response and acceptance rates within a district', async () => {
    const data = await page('hdStaff', 'experts')
    // Haidian: e1, e2 active, e4 suspended (district); e3 (Chaoyang) and e5 (municipal, Beijing) are outside.
    expect(table(data, 'tier-status').区县级).toEqual([2, 1, 0, 0])
    expect(table(data, 'tier-status').市级).toEqual([0, 0, 0, 0])
    expect(table(data, 'domain')).toEqual({ 合同: [2], 婚姻家庭: [1] })
    // e1 carries 2 open consultations, e2 none.
    expect(table(data, 'load')).toEqual({ '0': [1], '1': [0], '2': [1], '3': [0], '≥4': [0] })
    expect(figure(data, '在库专家')).toBe(2)
    // Invitations to e1/e2 in 2026: 4; answered 3 (75 %); accepted 2 of 3 (66.7 %); e1 of 2 experts used (50 %).
    expect(figure(data, '期间内邀请数')).toBe(4)
    expect(figure(data, '邀请响应率')).toBe(75)
    expect(figure(data, '邀请接受率')).toBe(66.7)
    expect(figure(data, '专家使用率')).toBe(50)
    // Response times 1, 3 and 2 days.
    expect(figure(data, '响应时间中位数（天）')).toBe(2)
    expect(table(data, 'responses')).toEqual({ 待回复: [1], 已拒绝: [1], 已提交意见: [1], 已评价: [1] })
    expect(data.tables.find((t) => t.id === 'domain')!.svg).toMatch(/^<svg/)
    // The city sees all five, by district; the municipal expert sits at Beijing's own level.
    const city = await page('bjStaff', 'experts')
    expect(figure(city, '在库专家')).toBe(4)
    expect(table(city, 'region')).toEqual({ 海淀区: [2], 朝阳区: [1], 北京市: [1] })
  })

  it('difficult cases: type, source, difficulty, outcome, time to staff and to close', async () => {
    const data = await page('hdStaff', 'cases')
    // c1, c2, c3 registered in Haidian in 2026 (c5 is 2025, c4 Chaoyang).
    expect(figure(data, '登记案件')).toBe(3)
    expect(table(data, 'type')).toEqual({ 合同: [2], 婚姻家庭: [1] })
    expect(table(data, 'source')).toEqual({ 当事人申请: [1], '法院委派/委托（诉调）': [2] })
    expect(table(data, 'difficulty')).toEqual({ 一般: [1], 疑难复杂: [1], 重大: [1] })
    expect(table(data, 'status')).toMatchObject({ 调解成功: [1], 调解不成: [1], 专家咨询: [1], 结案: [0] })
    expect(figure(data, '调解成功率')).toBe(50)
    // To staff: c1 1 day (e1 accepted; e2's decline does not count), c2 2 days → median 1.5, p90 1.9.
    // To close: c1 10 days, c2 20 days → median 15, p90 19.
    expect(table(data, 'durations')).toEqual({ 专家到位时间: [2, 1.5, 1.9], 办结时间: [2, 15, 19] })
    // An organisation manager counts their own committee's cases only.
    expect(figure(await page('hdManager', 'cases'), '登记案件')).toBe(2)
    // The city narrowed to Chaoyang; a district narrowed to a region outside it gets nothing.
    expect(figure(await page('bjStaff', 'cases', `${PERIOD}&region=110105`), '登记案件')).toBe(1)
    expect(figure(await page('cyStaff', 'cases', `${PERIOD}&region=110108`), '登记案件')).toBe(0)
    // The period applies: 2025 holds only c5.
    expect(figure(await page('hdStaff', 'cases', 'from=2025-01-01&to=2025-12-31'), '登记案件')).toBe(1)
  })

  it('training: hours by region and organisation, compliance, completion funnel', async () => {
    const data = await page('hdStaff', 'training')
    // Approved 2026 hours in Haidian: 4 + 1 (hdMediator) + 2 (hdMediator2); the pending 5 h and 2025 hours do not count.
    expect(figure(data, '期间内学时合计')).toBe(7)
    expect(table(data, 'hours-region')).toEqual({ 海淀区: [7, 2] })
    // Plan: full-time 4 h (met by hdMediator's 5 h, pre-service done), part-time 3 h (hdMediator2 2 h and
    // hdOther 0 h behind, both also overdue on pre-service training).
    expect(figure(data, '2026 年学时达标率')).toBe(33.3)
    expect(figure(data, '2026 年学时未达标人数')).toBe(2)
    expect(table(data, 'compliance-org')).toEqual({ 海淀测试调委会: [2, 7, 1, 50, 1], 海淀第二调委会: [1, 0, 1, 0, 1] })
    // Started: hdMediator, hdMediator2; finished a module: hdMediator; finished the course: hdMediator.
    expect(table(data, 'funnel')).toEqual({ 开始学习: [2], 完成单元: [1], 完成课程: [1] })
    expect(table(data, 'courses')).toEqual({ 测试课程: [2, 1, 1, 50] })
    // The city: Chaoyang has no plan, so it appears in hours but not in compliance.
    const city = await page('bjStaff', 'training')
    expect(table(city, 'hours-region')).toEqual({ 朝阳区: [10, 1], 海淀区: [7, 2] })
    expect(table(city, 'compliance-region')).toEqual({ 海淀区: [3, 1, 33.3] })
  })

  it('drills: score bands, results per drill and item analysis', { timeout: 90_000 }, async () => {
    const data = await page('hdStaff', 'drills')
    expect(figure(data, '作答次数')).toBe(5)
    // (100 + 50 + 50 + 0 + 85) / 5
    expect(figure(data, '平均分')).toBe(57)
    // Pass rate over attempts with a pass mark (the four quiz attempts): 1 of 4.
    expect(figure(data, '通过率')).toBe(25)
    const bands = table(data, 'scores')
    expect(bands['0–9']).toEqual([1])
    expect(bands['50–59']).toEqual([2])
    expect(bands['80–89']).toEqual([1])
    expect(bands['90–100']).toEqual([1])
    expect(table(data, 'drills')).toEqual({ 'quiz-stats（知识测试）': [4, 3, 50, 25], 'drafting-stats（文书制作）': [1, 1, 85, null] })
    // Groups of round(4 × 0.27) = 1: the 100 and the 0.
    expect(table(data, 'items')).toEqual({ a: [4, 0.5, 1], b: [4, 0.75, 0] })
  })

  it('library: submissions, acceptance rate, most bookmarked; reads are not recorded', async () => {
    const data = await page('hdStaff', 'library')
    expect(figure(data, '期间内投稿')).toBe(3)
    expect(figure(data, '评审决定')).toBe(2)
    expect(figure(data, '录用率')).toBe(50)
    expect(table(data, 'status')).toEqual({ 评审中: [1], 退回修改: [1], 已录用: [1] })
    expect(table(data, 'month')).toEqual({ '2026-03': [1], '2026-04': [2] })
    expect(table(data, 'bookmarked')).toEqual({ 录用的案例: [2], 朝阳案例: [1] })
    expect(data.notes.join()).toContain('不记录')
  })

  it('grading: the pyramid in total and by region', async () => {
    const data = await page('hdStaff', 'grading')
    // hdMediator 四级, hdMediator2 三级 (its superseded 四级 ignored), hdOther ungraded.
    expect(table(data, 'pyramid')).toEqual({ 三级调解员: [1, 33.3], 四级调解员: [1, 33.3], 未评定: [1, 33.3] })
    const city = await page('bjStaff', 'grading')
    expect(figure(city, '在册调解员')).toBe(4)
    expect(table(city, 'pyramid')).toEqual({ 三级调解员: [1, 25], 四级调解员: [2, 50], 未评定: [1, 25] })
    expect(table(city, 'region')).toEqual({ 海淀区: [3, 1, 1, 1], 朝阳区: [1, 0, 1, 0] })
  })

  it('shows each user only the areas their permissions reach, and refuses the rest', async () => {
    const areas = async (user: keyof StatsWorld['users']) =>
      ((await call(indexLoader, '/stats', { cookie: world.users[user].cookie })).data as { areas: string[] }).areas
    expect(await areas('hdStaff')).toEqual(['experts', 'cases', 'training', 'drills', 'library', 'grading'])
    expect(await areas('hdManager')).toEqual(['experts', 'cases', 'training', 'grading'])
    expect(await areas('reviewer')).toEqual(['library'])
    // A mediator's own-record grants (grading:view 'self') give no statistics: refused and logged.
    expect((await call(indexLoader, '/stats', { cookie: world.users.mediator.cookie })).status).toBe(403)
    const denied = await testDb()
      .selectFrom('audit_log')
      .select('result')
      .where('user_id', '=', world.users.mediator.id)
      .where('record_type', '=', 'stats')
      .execute()
    expect(denied).toEqual([{ result: 'denied' }])
    const nav = async (user: keyof StatsWorld['users']) =>
      navigationFor((await getOptionalUser(makeRequest('/', { cookie: world.users[user].cookie })))!).map((i) => i.to)
    expect(await nav('hdStaff')).toContain('/stats')
    expect(await nav('mediator')).not.toContain('/stats')
    const refused = async (user: keyof StatsWorld['users'], area: string) =>
      (await call(areaLoader, `/stats/${area}`, { cookie: world.users[user].cookie, params: { area } })).status
    expect(await refused('reviewer', 'cases')).toBe(403)
    expect(await refused('mediator', 'grading')).toBe(403)
    expect(await refused('hdStaff', 'nothing')).toBe(404)
    expect((await call(areaLoader, '/stats/cases', { params: { area: 'cases' } })).status).toBe(302)
  })

  it('exports what the page shows: title rows, 序号, Chinese headers, same filters; audited', async () => {
    const response = (await exportLoader({
      request: makeRequest(`/stats/cases/export.xlsx?${PERIOD}&region=110108`, { cookie: world.users.bjStaff.cookie }),
      params: { area: 'cases' },
      context: {},
    })) as Response
    expect(response.headers.get('Content-Type')).toContain('spreadsheetml')
    expect(response.headers.get('Content-Disposition')).toContain(encodeURIComponent('统计分析-疑难复杂纠纷'))
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await response.arrayBuffer())
    const summary = workbook.worksheets[0]!
    expect(String(summary.getCell('A1').value)).toBe('统计分析：疑难复杂纠纷 · 主要指标')
    expect(String(summary.getCell('A2').value)).toBe('筛选条件：期间 2026-01-01 至 2026-12-05；地区 海淀区')
    expect(String(summary.getCell('A3').value)).toMatch(/^导出时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间） {2}导出人：.*（t\.bjstaff）$/)
    const sourceSheet = workbook.getWorksheet('按案件来源')!
    // Title, filter, time/user, then the header row.
    const header = sourceSheet.getRow(4).values as unknown[]
    expect(header.slice(1)).toEqual(['序号', '来源', '案件数'])
    expect(sourceSheet.getRow(5).values).toEqual([undefined, 1, '当事人申请', 1])
    expect(sourceSheet.getRow(6).values).toEqual([undefined, 2, '法院委派/委托（诉调）', 2])
    const durations = workbook.getWorksheet('办理时长')!
    // A table with a note has four title lines.
    expect(String(durations.getCell('A4').value)).toContain('专家到位')
    expect((durations.getRow(5).values as unknown[]).slice(1)).toEqual(['序号', '指标', '案件数', '中位数（天）', 'P90（天）'])
    expect((durations.getRow(6).values as unknown[]).slice(1)).toEqual([1, '专家到位时间', 2, 1.5, 1.9])
    const [event] = await testDb()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'stats.export')
      .where('user_id', '=', world.users.bjStaff.id)
      .execute()
    expect(event?.record_id).toBe('cases')
    expect(JSON.parse(event!.detail!)).toMatchObject({ area: 'cases', filter: { region: '110108', from: '2026-01-01' } })
  })
})
