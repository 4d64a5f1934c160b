/**
 * Statistics and exports in the browser (issue 9, items 2 and 3), as Beijing's municipal bureau
 * (bj.staff): open the statistics from the sidebar, filter an area by a district, see its chart
 * (server-rendered SVG) and the table of the same numbers; then export the mediators register
 * filtered to that district (a background export) and read the downloaded file's cells.
 */
import ExcelJS from 'exceljs'
import type { Download } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newPage, signIn } from './browser.ts'

async function workbookOf(download: Download): Promise<ExcelJS.Workbook> {
  const chunks: Buffer[] = []
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer)
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ExcelJS.Buffer)
  return workbook
}

describe('statistics and exports', () => {
  it(
    'filters a statistics page by district, shows a chart and its table, and exports a filtered register',
    { timeout: 120_000 },
    async () => {
      const page = await newPage()
      await signIn(page, 'bj.staff')

      await page.getByRole('link', { name: '统计', exact: true }).first().click()
      await page.waitForURL((url) => url.pathname === '/stats')
      const areas = page.getByTestId('stats-areas')
      await areas.waitFor()
      // Every area a municipal bureau may see is offered.
      for (const area of ['专家库', '疑难复杂纠纷', '培训', '岗位练兵', '案例库', '等级评定']) {
        expect(await areas.getByRole('link', { name: area, exact: true }).count()).toBe(1)
      }

      await areas.getByRole('link', { name: '等级评定', exact: true }).click()
      await page.waitForURL((url) => url.pathname === '/stats/grading')
      await page.getByTestId('stat-pyramid').waitFor()
      await page.locator('#stats-from').fill('2020-01-01')
      await page.locator('#stats-region').selectOption('110108')
      await page.getByRole('button', { name: '筛选' }).click()
      await page.waitForURL((url) => url.pathname === '/stats/grading' && url.searchParams.get('region') === '110108')
      const pyramid = page.getByTestId('stat-pyramid')
      await pyramid.waitFor()
      // The chart is an SVG drawn on the server, captioned; the table beside it holds the same rows.
      expect(await pyramid.locator('[data-testid="stat-chart"] svg').count()).toBe(1)
      expect(await pyramid.locator('figcaption').textContent()).toContain('等级金字塔')
      const rows = pyramid.locator('[data-testid="stat-table"] tbody tr')
      expect(await rows.count()).toBeGreaterThan(0)
      expect(await rows.last().locator('th').textContent()).toBe('未评定')
      // The city's region breakdown narrowed to Haidian shows Haidian (or its streets) only.
      const regionTable = await page.getByTestId('stat-region').locator('tbody').textContent()
      expect(regionTable).not.toContain('朝阳区')
      // Cached figures say when they were computed (docs/decisions/032-statistics-cache.md).
      expect(await page.getByTestId('stats-computed-at').textContent()).toMatch(/^统计时间：\d{4}.*定期刷新/)
      const exportHref = await page.getByTestId('stats-export').getAttribute('href')
      expect(exportHref).toContain('/stats/grading/export.xlsx?')
      expect(exportHref).toContain('region=110108')
      const [statsFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stats-export').click()])
      const firstSheet = (await workbookOf(statsFile)).worksheets[0]!
      expect(String(firstSheet.getCell('A1').value)).toContain('统计分析')
      expect(String(firstSheet.getCell('A2').value)).toContain('海淀区')

      // The mediators register, filtered to Haidian, in one click: a background export whose page
      // offers the file when it is done (tests/e2e/exports.e2e.ts follows its progress).
      await page.goto('/people?region=110108')
      await page.getByTestId('people-register').waitFor()
      await page.getByTestId('people-register').click()
      await page.getByTestId('job-download').waitFor({ timeout: 60_000 })
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('job-download').click()])
      expect(download.suggestedFilename()).toMatch(/^调解员名册-\d{4}-\d{2}-\d{2}\.xlsx$/)
      const sheet = (await workbookOf(download)).worksheets[0]!
      expect(String(sheet.getCell('A1').value)).toBe('人民调解员名册')
      expect(String(sheet.getCell('A2').value)).toBe('筛选条件：地区 海淀区')
      expect(String(sheet.getCell('A3').value)).toContain('刘建华（bj.staff）')
      const headers = (sheet.getRow(4).values as unknown[]).slice(1)
      expect(headers.slice(0, 5)).toEqual(['序号', '姓名', '性别', '出生日期', '身份证号'])
      expect(sheet.getCell('A5').value).toBe(1)
      const id = sheet.getRow(5).getCell(headers.indexOf('身份证号') + 1)
      expect(typeof id.value).toBe('string')
      expect(id.numFmt).toBe('@')
      expect(String(id.value)).toMatch(/\*/)
      const regions = new Set<unknown>()
      sheet.eachRow((row, n) => {
        if (n > 4) regions.add(row.getCell(headers.indexOf('所在地区') + 1).value)
      })
      expect(regions.size).toBeGreaterThan(0)
      expect([...regions]).not.toContain('朝阳区')
    },
  )
})
