/**
 * Roster sync in the browser (issue 12, part 4), as Haidian's bureau: reach the page from the
 * navigation, upload an organisation roster (.xlsx made here with exceljs) under a new source,
 * accept the suggested column mapping, read the preview, apply it; then upload the same file
 * again and see that the preview and the apply change nothing.
 */
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { newPage, signIn } from './browser.ts'
import { e2eDb } from './database.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

async function rosterFile(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('调解组织')
  sheet.addRow(['序号', '统一社会信用代码', '调解组织名称', '组织类别', '行政区划代码', '办公地址'])
  rows.forEach((row, i) => sheet.addRow([String(i + 1), ...row]))
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

describe('roster sync', () => {
  const tag = Math.random().toString(36).slice(2, 7).toUpperCase()
  const source = `省调解管理系统（测试${tag}）`
  const rows = [
    [`E2E-${tag}-1`, `同步测试调委会甲${tag}`, '村（居）人民调解委员会', '110108', '海淀区测试路1号'],
    [`E2E-${tag}-2`, `同步测试司法所乙${tag}`, '司法所', '110108', ''],
  ]

  it('uploads, maps, previews and applies an organisation roster; the same file again changes nothing', async () => {
    const page = await newPage()
    await signIn(page, 'hd.staff')
    await page.getByRole('link', { name: '名册同步' }).first().click()
    await page.waitForURL((url) => url.pathname === '/admin/roster-sync')

    const file = await rosterFile(rows)
    await page.getByLabel('或新建数据来源').fill(source)
    await page.getByLabel('名册类型').selectOption('orgs')
    await page.getByLabel('同步范围（地区）').selectOption('110108')
    await page.setInputFiles('input[name="file"]', { name: '调解组织名册.xlsx', mimeType: XLSX, buffer: file })
    await page.getByRole('button', { name: '上传', exact: true }).click()
    await page.waitForURL((url) => /^\/admin\/roster-sync\/[0-9A-Z]{26}$/.test(url.pathname))

    // The mapping is suggested from the Chinese headers.
    const mapping = page.getByTestId('sync-mapping')
    await mapping.waitFor()
    await expect(mapping.locator('select[data-field="code"]').inputValue()).resolves.toBe('1')
    await expect(mapping.locator('select[data-field="name"]').inputValue()).resolves.toBe('2')
    await expect(mapping.locator('select[data-field="region"]').inputValue()).resolves.toBe('4')
    await page.getByRole('button', { name: '保存设置并预览变更' }).click()

    const created = page.locator('[data-testid="sync-created"] tbody tr')
    await created.first().waitFor()
    await expect(created.count()).resolves.toBe(2)
    expect(await page.getByTestId('sync-summary').textContent()).toContain('新增 2')
    expect(await created.first().textContent()).toContain('村（居）人民调解委员会')
    await page.getByRole('button', { name: '应用变更' }).click()
    await page.getByTestId('sync-result').waitFor()
    expect(await page.getByTestId('sync-result').textContent()).toContain('新增 2，变更 0，停用 0')

    const orgs = await e2eDb()
      .selectFrom('roster_org_links as l')
      .innerJoin('organisations as o', 'o.id', 'l.org_id')
      .select(['l.code', 'o.name', 'o.kind', 'o.region_code'])
      .where('l.code', 'in', [rows[0]![0]!, rows[1]![0]!])
      .orderBy('l.code')
      .execute()
    expect(orgs).toEqual([
      { code: rows[0]![0], name: rows[0]![1], kind: 'committee_village', region_code: '110108' },
      { code: rows[1]![0], name: rows[1]![1], kind: 'justice_office', region_code: '110108' },
    ])

    // The same file again, from the same (now saved) source: no changes.
    await page.goto('/admin/roster-sync')
    await page.getByLabel('数据来源', { exact: true }).selectOption({ label: source })
    await page.getByLabel('同步范围（地区）').selectOption('110108')
    await page.setInputFiles('input[name="file"]', { name: '调解组织名册.xlsx', mimeType: XLSX, buffer: file })
    const firstRun = page.url()
    await page.getByRole('button', { name: '上传', exact: true }).click()
    await page.waitForURL((url) => /^\/admin\/roster-sync\/[0-9A-Z]{26}$/.test(url.pathname) && url.href !== firstRun)
    await page.getByRole('button', { name: '保存设置并预览变更' }).click()
    await page.getByTestId('sync-no-changes').waitFor()
    expect(await page.getByTestId('sync-summary').textContent()).toContain('无变化 2')
    await page.getByRole('button', { name: '应用变更' }).click()
    await page.getByTestId('sync-result').waitFor()
    expect(await page.getByTestId('sync-result').textContent()).toContain('没有变化')

    // Both runs are in the history, with the same checksum.
    await page.goto('/admin/roster-sync')
    const history = page.locator('[data-testid="sync-history"] tbody tr', { hasText: source })
    await expect(history.count()).resolves.toBe(2)
    const checksums = await e2eDb().selectFrom('roster_runs').select('checksum').where('file_name', '=', '调解组织名册.xlsx').execute()
    expect(new Set(checksums.map((c) => c.checksum)).size).toBe(1)
  })
})
