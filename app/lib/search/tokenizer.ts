/**
 * The one tokenizer for Chinese full-text search, shared by indexing and querying
 * (docs/decisions/013-chinese-search.md):
 * - text is NFKC-normalised (full-width letters and digits become ASCII) and lower-cased;
 * - article numbers are normalised first, so 第三十一条 and 第31条 are the same token `第31条`;
 * - Han runs become overlapping bigrams (a one-character run stays a unigram);
 * - optionally, `Intl.Segmenter('zh')` words of three or more characters are added (two-character
 *   words are already bigrams; one-character words are noise);
 * - Latin letters and digits become lower-cased words.
 */
import { normaliseArticles } from '#app/lib/law-articles.ts'

export interface TokenizeOptions {
  /** Add Intl.Segmenter words (≥ 3 Han characters). Costly on long text: used for short fields and queries. */
  words?: boolean
}

const HAN = /\p{Script=Han}/u
const ARTICLE_TOKEN = /第\d+条/y
const LATIN = /[\p{L}\p{N}]/u

let segmenter: Intl.Segmenter | null = null
function wordSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' })
  return segmenter
}

/**
 * The text as snippets show it: full-width letters and digits folded to ASCII and article numbers
 * normalised; Chinese punctuation kept (NFKC would turn ，into ,). Case is kept.
 */
export function searchText(text: string): string {
  return normaliseArticles(text.replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
}

const HAN_CHAR = 1
const WORD_CHAR = 2
const OTHER = 0

/** Fast paths for the common ranges (CJK unified ideographs, ASCII); the Unicode regexes for the rest. */
function classify(text: string, i: number, code: number): number {
  if (code >= 0x4e00 && code <= 0x9fff) return HAN_CHAR
  if (code < 0x80)
    return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) ? WORD_CHAR : OTHER
  if (code >= 0x3000 && code <= 0x303f) return OTHER // CJK punctuation
  if (code >= 0xff00 && code <= 0xffef) return OTHER // full-width forms left after NFKC
  const ch = String.fromCodePoint(text.codePointAt(i)!)
  if (HAN.test(ch)) return HAN_CHAR
  return LATIN.test(ch) ? WORD_CHAR : OTHER
}

export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const normal = normaliseArticles(text.normalize('NFKC')).toLowerCase()
  const out: string[] = []
  // Bigrams are emitted while scanning: the previous Han character of the current run, if any.
  let prevHan = ''
  let runLength = 0
  let latinStart = -1
  const endHan = () => {
    if (runLength === 1) out.push(prevHan)
    prevHan = ''
    runLength = 0
  }
  const endLatin = (at: number) => {
    if (latinStart >= 0) out.push(normal.slice(latinStart, at))
    latinStart = -1
  }
  let i = 0
  while (i < normal.length) {
    const code = normal.charCodeAt(i)
    // Normalised article numbers are one token, so 第31条 finds 第三十一条 and not 第131条.
    if (code === 0x7b2c /* 第 */) {
      ARTICLE_TOKEN.lastIndex = i
      const match = ARTICLE_TOKEN.exec(normal)
      if (match) {
        endHan()
        endLatin(i)
        out.push(match[0])
        i += match[0].length
        continue
      }
    }
    const kind = classify(normal, i, code)
    const width = code >= 0xd800 && code <= 0xdbff ? 2 : 1
    if (kind === HAN_CHAR) {
      endLatin(i)
      const ch = width === 1 ? normal[i]! : normal.slice(i, i + 2)
      if (runLength > 0) out.push(prevHan + ch)
      prevHan = ch
      runLength++
    } else if (kind === WORD_CHAR) {
      endHan()
      if (latinStart < 0) latinStart = i
    } else {
      endHan()
      endLatin(i)
    }
    i += width
  }
  endHan()
  endLatin(normal.length)
  if (options.words) {
    for (const part of wordSegmenter().segment(normal)) {
      if (part.isWordLike && part.segment.length >= 3 && HAN.test(part.segment) && !/^第\d+条$/.test(part.segment)) out.push(part.segment)
    }
  }
  return out
}

/** Distinct query tokens, in order of first appearance. */
export function queryTokens(query: string): string[] {
  return [...new Set(tokenize(query.slice(0, 200), { words: true }))]
}
