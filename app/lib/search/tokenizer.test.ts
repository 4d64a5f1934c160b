import { describe, expect, it } from 'vitest'
import { Bm25Index } from './bm25.ts'
import { snippet } from './snippet.ts'
import { queryTokens, tokenize } from './tokenizer.ts'

describe('tokenize', () => {
  it('makes overlapping Han bigrams, keeps single characters, lower-cases Latin words', () => {
    expect(tokenize('物业费')).toEqual(['物业', '业费'])
    expect(tokenize('费')).toEqual(['费'])
    expect(tokenize('App退款 ABC-123')).toEqual(['app', '退款', 'abc', '123'])
  })

  it('normalises article numbers into one token, in both forms', () => {
    expect(tokenize('人民调解法第三十一条')).toContain('第31条')
    expect(tokenize('人民调解法第31条')).toEqual(tokenize('人民调解法第三十一条'))
    expect(tokenize('第 31 条')).toEqual(['第31条'])
    expect(tokenize('第131条')).not.toContain('第31条')
  })

  it('folds full-width characters (NFKC)', () => {
    expect(tokenize('ＡＰＰ１２')).toEqual(['app12'])
  })

  it('adds segmenter words of three or more characters only when asked', () => {
    const plain = tokenize('中华人民共和国民法典')
    const withWords = tokenize('中华人民共和国民法典', { words: true })
    expect(withWords.length).toBeGreaterThanOrEqual(plain.length)
    expect(withWords.slice(0, plain.length)).toEqual(plain)
    for (const extra of withWords.slice(plain.length)) expect(Array.from(extra).length).toBeGreaterThanOrEqual(3)
  })

  it('keeps astral ideographs (extension B) whole', () => {
    expect(tokenize('𠀀𠀁调')).toEqual(['𠀀𠀁', '𠀁调'])
  })

  it('dedupes query tokens', () => {
    expect(queryTokens('物业 物业')).toEqual(['物业'])
  })
})

describe('Bm25Index', () => {
  const fields = [
    { name: 'title', boost: 3, words: true },
    { name: 'tags', boost: 2, words: true },
    { name: 'body', boost: 1 },
  ]
  const build = () => {
    const index = new Bm25Index(fields)
    index.add({ fields: { title: '邻里漏水纠纷', tags: '邻里', body: '楼上漏水导致楼下天花板受损，双方协商赔偿。' } })
    index.add({
      fields: { title: '物业服务合同纠纷', tags: '物业费 老旧小区', body: '业主以服务差为由拖欠物业费三年。依据民法典第944条。' },
    })
    index.add({ fields: { title: '劳动报酬纠纷', tags: '欠薪', body: '公司拖欠工资，员工要求支付，物业公司也提到。' } })
    index.add({ fields: { title: '交通事故赔偿', tags: '保险', body: '车辆追尾，保险公司理赔，参照道路交通安全法第七十六条。' } })
    return index.freeze()
  }

  it('ranks title matches above body matches (field boosts)', () => {
    const hits = build().search('物业')
    expect(hits[0]!.doc).toBe(1)
    expect(hits.map((h) => h.doc)).toContain(2)
  })

  it('finds partial and colloquial phrasings', () => {
    const index = build()
    expect(index.search('拖欠物业费')[0]!.doc).toBe(1)
    expect(index.search('楼上漏水')[0]!.doc).toBe(0)
  })

  it('matches article numbers in either form', () => {
    const index = build()
    expect(index.search('第76条')[0]!.doc).toBe(3)
    expect(index.search('第九百四十四条')[0]!.doc).toBe(1)
  })

  it('combines filters with text and returns nothing for unrelated queries', () => {
    const index = build()
    expect(index.search('拖欠', { filter: (d) => d !== 1 }).map((h) => h.doc)).toEqual([2])
    expect(index.search('量子计算机')).toEqual([])
  })

  it('prefers rarer terms (idf)', () => {
    const index = build()
    expect(index.idf('追尾')).toBeGreaterThan(index.idf('纠纷'))
  })
})

describe('snippet', () => {
  it('marks query tokens and picks the window with the most hits', () => {
    const text = `${'无关内容。'.repeat(40)}业主拖欠物业费三年，物业公司起诉。${'其他。'.repeat(40)}`
    const parts = snippet(text, queryTokens('物业费'), 40)
    expect(parts.filter((p) => p.hit).map((p) => p.text)).toContain('物业费')
    expect(parts[0]!.text).toBe('…')
  })

  it('highlights normalised article numbers', () => {
    const parts = snippet('依据人民调解法第三十一条达成协议', queryTokens('第31条'))
    expect(parts.find((p) => p.hit)?.text).toBe('第31条')
  })

  it('returns the start of the text when nothing matches', () => {
    expect(snippet('简单文本', ['不存在'])).toEqual([{ text: '简单文本', hit: false }])
  })
})
