/**
 * The library's search over LibraryCase records: BM25F with title > tags > body, filters combined
 * with text, snippets and similar cases. Pure (no I/O): the server module feeds it the cases.
 */
import { Bm25Index } from '#app/lib/search/bm25.ts'
import { type SnippetPart, snippet } from '#app/lib/search/snippet.ts'
import { queryTokens, searchText, tokenize } from '#app/lib/search/tokenizer.ts'
import { type CaseFilters, type LibraryCase, matchesFilters } from './model.ts'

export const FIELDS = [
  { name: 'title', boost: 3, words: true },
  { name: 'tags', boost: 2 },
  { name: 'body', boost: 1 },
]

export function caseFields(c: LibraryCase): Record<string, string> {
  return {
    title: c.title,
    tags: [...c.tags, c.disputeType, ...c.domains, ...c.techniques, ...c.legalBasis].join(' '),
    body: `${c.summary}\n${c.text}`,
  }
}

export interface CaseHit {
  case: LibraryCase
  score: number
}

export type SortOrder = 'relevance' | 'date'

export interface SimilarCase {
  case: LibraryCase
  score: number
  sameType: boolean
  sharedDomains: string[]
  /** A few distinctive terms both texts contain. */
  sharedTerms: string[]
}

/** Results kept per index (see similar()). */
const SIMILAR_CACHE_SIZE = 200

const titleSegmenter = new Intl.Segmenter('zh', { granularity: 'word' })
const titleWordCache = new Map<string, string[]>()

/** Words (two characters or more) of a case title, for readable reasons. */
function titleWords(title: string): string[] {
  let words = titleWordCache.get(title)
  if (!words) {
    words = [...titleSegmenter.segment(title)].filter((s) => s.isWordLike && Array.from(s.segment).length >= 2).map((s) => s.segment)
    if (titleWordCache.size > 50_000) titleWordCache.clear()
    titleWordCache.set(title, words)
  }
  return words
}

function byDate(a: LibraryCase, b: LibraryCase): number {
  return b.sortDate.localeCompare(a.sortDate) || b.year - a.year || a.caseId.localeCompare(b.caseId)
}

export class LibrarySearch {
  readonly cases: LibraryCase[]
  private index: Bm25Index
  private byKey: Map<string, LibraryCase>
  private similarCache = new Map<string, SimilarCase[]>()

  constructor(cases: LibraryCase[]) {
    this.cases = cases
    this.index = new Bm25Index(FIELDS)
    for (const c of cases) this.index.add({ fields: caseFields(c) })
    this.index.freeze()
    this.byKey = new Map(cases.map((c) => [c.key, c]))
  }

  get(key: string): LibraryCase | undefined {
    return this.byKey.get(key)
  }

  search(query: string, filters: CaseFilters = {}, sort: SortOrder = 'relevance'): CaseHit[] {
    const tokens = queryTokens(query)
    if (!tokens.length) {
      return this.cases
        .filter((c) => matchesFilters(c, filters))
        .sort(byDate)
        .map((c) => ({ case: c, score: 0 }))
    }
    const hits = this.index.searchTokens(tokens, { filter: (doc) => matchesFilters(this.cases[doc]!, filters) })
    const results = hits.map((h) => ({ case: this.cases[h.doc]!, score: h.score }))
    if (sort === 'date') results.sort((a, b) => byDate(a.case, b.case))
    return results
  }

  /** The highlighted snippet of a case for a query (only for the hits a page shows). */
  snippet(c: LibraryCase, query: string): SnippetPart[] {
    const tokens = queryTokens(query)
    if (!tokens.length) return [{ text: c.summary, hit: false }]
    return snippet(`${c.summary}\n${c.text}`, tokens)
  }

  /**
   * The k cases most similar to a text (a draft submission, a difficult case's description):
   * BM25 over its most distinctive tokens, boosted by a shared dispute type and shared domains.
   */
  similar(text: string, context: { disputeType?: string | null; domains?: string[]; excludeKey?: string }, k = 5): SimilarCase[] {
    // The same text is asked for again and again (a case page on every view, a draft between two
    // keystrokes that changed nothing): answered from a small cache of this index's results.
    const cacheKey = JSON.stringify([text, context.disputeType ?? null, context.domains ?? [], context.excludeKey ?? null, k])
    const cached = this.similarCache.get(cacheKey)
    if (cached) {
      // Most recently used last, so the oldest is dropped first.
      this.similarCache.delete(cacheKey)
      this.similarCache.set(cacheKey, cached)
      return cached
    }
    const result = this.computeSimilar(text, context, k)
    this.similarCache.set(cacheKey, result)
    if (this.similarCache.size > SIMILAR_CACHE_SIZE) this.similarCache.delete(this.similarCache.keys().next().value!)
    return result
  }

  private computeSimilar(
    text: string,
    context: { disputeType?: string | null; domains?: string[]; excludeKey?: string },
    k: number,
  ): SimilarCase[] {
    const counts = new Map<string, number>()
    // Bigrams only, like the body field: segmenting a long text would cost more than the search.
    for (const token of tokenize(text.slice(0, 20_000))) counts.set(token, (counts.get(token) ?? 0) + 1)
    // The 40 tokens with the highest tf-idf that the library knows.
    const ranked = [...counts]
      .filter(([token]) => this.index.documentFrequency(token) > 0)
      .map(([token, tf]) => ({ token, weight: (1 + Math.log(tf)) * this.index.idf(token) }))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 40)
    const domains = context.domains ?? []
    const hits = ranked.length
      ? this.index.searchTokens(
          ranked.map((r) => r.token),
          { minShouldMatch: 0, limit: 100, filter: (doc) => this.cases[doc]!.key !== context.excludeKey },
          ranked.map((r) => 1 + Math.log(1 + r.weight)),
        )
      : []
    const scored = new Map<number, number>(hits.map((h) => [h.doc, h.score]))
    // A shared dispute type counts even without shared words (when words found too few).
    if (context.disputeType && scored.size < k) {
      this.cases.forEach((c, doc) => {
        if (c.disputeType === context.disputeType && c.key !== context.excludeKey && !scored.has(doc)) scored.set(doc, 0)
      })
    }
    const max = Math.max(1e-9, ...scored.values())
    const results = [...scored].map(([doc, raw]) => {
      const c = this.cases[doc]!
      const sameType = !!context.disputeType && c.disputeType === context.disputeType
      const sharedDomains = domains.filter((d) => c.domains.includes(d) || c.disputeType === d)
      const score = raw / max + (sameType ? 0.5 : 0) + 0.15 * sharedDomains.length
      return { doc, c, score, sameType, sharedDomains }
    })
    results.sort((a, b) => b.score - a.score || byDate(a.c, b.c))
    const input = searchText(text.slice(0, 20_000)).toLowerCase()
    return results.slice(0, k).map(({ c, score, sameType, sharedDomains }) => {
      // Reasons read best as whole words: the case's own tags, legal basis and title words first.
      const sharedTerms: string[] = []
      const add = (term: string) => {
        if (sharedTerms.length < 3 && !sharedTerms.some((t) => t.includes(term) || term.includes(t))) sharedTerms.push(term)
      }
      for (const term of [...c.tags, ...c.legalBasis, ...titleWords(c.title)]) {
        if (Array.from(term).length >= 2 && input.includes(term.toLowerCase())) add(term)
      }
      if (!sharedTerms.length) {
        const own = `${c.title} ${c.tags.join(' ')} ${c.summary} ${c.text}`
        for (const { token } of ranked) {
          if (Array.from(token).length >= 2 && /\p{Script=Han}|[a-z]/u.test(token) && own.includes(token)) add(token)
        }
      }
      return { case: c, score, sameType, sharedDomains, sharedTerms }
    })
  }
}
