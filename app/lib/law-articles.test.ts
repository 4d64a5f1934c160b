import { describe, expect, it } from 'vitest'
import { articleNumber, normaliseArticles, parseChineseNumber } from './law-articles.ts'

describe('Chinese numerals', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十五', 15],
    ['三十一', 31],
    ['一百', 100],
    ['一百零三', 103],
    ['一百一十', 110],
    ['一千二百六十', 1260],
    ['两千', 2000],
  ])('%s = %i', (text, value) => {
    expect(parseChineseNumber(text)).toBe(value)
  })

  it('rejects what is not a numeral', () => {
    expect(parseChineseNumber('三十x')).toBeNaN()
    expect(parseChineseNumber('')).toBeNaN()
  })
})

describe('article references', () => {
  it('reads the article number in either form', () => {
    expect(articleNumber('《人民调解法》第三十一条')).toBe(31)
    expect(articleNumber('第 31 条')).toBe(31)
    expect(articleNumber('第３１条')).toBe(31)
    expect(articleNumber('民法典第一千一百六十五条')).toBe(1165)
    expect(articleNumber('没有条文')).toBeNull()
  })

  it('normalises every reference in a text', () => {
    expect(normaliseArticles('依据第三十一条和第十七条，以及第 33 条')).toBe('依据第31条和第17条，以及第33条')
  })
})
