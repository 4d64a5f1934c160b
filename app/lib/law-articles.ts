/**
 * Article numbers in Chinese legal references: 第三十一条 and 第31条 are the same article.
 * One normal form (Arabic digits, `第31条`) for display, search and comparison.
 */

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 }

/** Parses a Chinese numeral below 10,000 (三十一, 一千二百六十, 十五, 一百零三); NaN if it is not one. */
export function parseChineseNumber(text: string): number {
  if (!text) return Number.NaN
  let total = 0
  let digit: number | null = null
  for (const ch of text) {
    if (ch in DIGITS) {
      digit = DIGITS[ch]!
    } else if (ch in UNITS) {
      // 十五 has no leading digit: it means one ten.
      total += (digit ?? 1) * UNITS[ch]!
      digit = null
    } else {
      return Number.NaN
    }
  }
  return total + (digit ?? 0)
}

const ARTICLE = /第\s*([0-9０-９]+|[零〇一二两三四五六七八九十百千]+)\s*条/g

function toNumber(raw: string): number {
  if (/^[0-9０-９]+$/.test(raw)) return Number(raw.replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - 0xff10)))
  return parseChineseNumber(raw)
}

/** The article number in a reference such as 第三十一条 or 第 31 条; null when there is none. */
export function articleNumber(text: string): number | null {
  ARTICLE.lastIndex = 0
  const match = ARTICLE.exec(text)
  if (!match) return null
  const n = toNumber(match[1]!)
  return Number.isFinite(n) ? n : null
}

/** Rewrites every article reference in a text to the normal form `第31条`. */
export function normaliseArticles(text: string): string {
  return text.replace(ARTICLE, (whole, raw: string) => {
    const n = toNumber(raw)
    return Number.isFinite(n) ? `第${n}条` : whole
  })
}
