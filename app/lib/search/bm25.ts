/**
 * A small in-memory inverted index ranked with BM25F (per-field length normalisation and boosts,
 * one saturation), shared by every search in the app (docs/decisions/013-chinese-search.md).
 *
 * Postings are packed per term into typed arrays when the index is frozen: a document number and
 * the boosted, length-normalised term frequency. Queries touch only the postings of their terms.
 */
import { queryTokens, tokenize } from './tokenizer.ts'

export interface FieldSpec {
  name: string
  boost: number
  /** Add segmenter words (short fields); long bodies use bigrams only (build time). */
  words?: boolean
}

export interface IndexedDoc {
  fields: Record<string, string>
}

const K1 = 1.2
const B = 0.75
/** tf per field is capped so three fields pack into one small integer while building. */
const TF_CAP = 511

interface Building {
  /** term → [doc, packedTf, doc, packedTf, …] */
  postings: Map<string, number[]>
  lengths: number[][]
}

export interface SearchHit {
  doc: number
  score: number
  /** How many distinct query terms the document contains. */
  matched: number
}

export interface SearchOptions {
  /** Only documents for which this is true (filters combined with the text). */
  filter?: (doc: number) => boolean
  limit?: number
  /**
   * Fraction of distinct query terms a document must contain. Default: half of a short query
   * (up to four tokens), a third of a longer, colloquial one; at least one.
   */
  minShouldMatch?: number
}

export class Bm25Index {
  readonly fields: FieldSpec[]
  private building: Building | null = { postings: new Map(), lengths: [] }
  private docIds: Int32Array[] = []
  private weights: Float32Array[] = []
  private terms = new Map<string, number>()
  private scores = new Float64Array(0)
  private counts = new Uint16Array(0)
  size = 0

  constructor(fields: FieldSpec[]) {
    if (fields.length > 3) throw new Error('Bm25Index packs at most three fields')
    this.fields = fields
  }

  /** Adds a document; its number is the order of addition. */
  add(doc: IndexedDoc): number {
    const building = this.building
    if (!building) throw new Error('index is frozen')
    const n = this.size++
    const lengths: number[] = []
    const { postings } = building
    this.fields.forEach((field, f) => {
      const tokens = tokenize(doc.fields[field.name] ?? '', { words: field.words })
      lengths.push(tokens.length)
      const shift = 9 * f
      for (const token of tokens) {
        let list = postings.get(token)
        if (!list) {
          list = []
          postings.set(token, list)
        }
        // One (doc, packed tf) pair per term and document: the pair is the list's last one.
        if (list.length === 0 || list[list.length - 2] !== n) list.push(n, 0)
        const packed = list[list.length - 1]!
        if (((packed >> shift) & TF_CAP) < TF_CAP) list[list.length - 1] = packed + (1 << shift)
      }
    })
    building.lengths.push(lengths)
    return n
  }

  /** Computes normalised weights and packs postings; no more documents after this. */
  freeze(): this {
    const building = this.building
    if (!building) return this
    const F = this.fields.length
    const avg = this.fields.map((_, f) => building.lengths.reduce((s, l) => s + l[f]!, 0) / Math.max(1, building.lengths.length) || 1)
    const norms = building.lengths.map((l) => this.fields.map((_, f) => 1 - B + (B * l[f]!) / avg[f]!))
    for (const [term, list] of building.postings) {
      const count = list.length / 2
      const ids = new Int32Array(count)
      const weights = new Float32Array(count)
      for (let i = 0; i < count; i++) {
        const doc = list[2 * i]!
        const packed = list[2 * i + 1]!
        let w = 0
        for (let f = 0; f < F; f++) {
          const tf = (packed >> (9 * f)) & TF_CAP
          if (tf) w += (this.fields[f]!.boost * tf) / norms[doc]![f]!
        }
        ids[i] = doc
        weights[i] = w
      }
      this.terms.set(term, this.docIds.length)
      this.docIds.push(ids)
      this.weights.push(weights)
    }
    this.building = null
    this.scores = new Float64Array(this.size)
    this.counts = new Uint16Array(this.size)
    return this
  }

  idf(term: string): number {
    const t = this.terms.get(term)
    const df = t === undefined ? 0 : this.docIds[t]!.length
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5))
  }

  documentFrequency(term: string): number {
    const t = this.terms.get(term)
    return t === undefined ? 0 : this.docIds[t]!.length
  }

  /** Ranks by the given (distinct) tokens, each optionally weighted. */
  searchTokens(tokens: string[], options: SearchOptions = {}, tokenWeights?: number[]): SearchHit[] {
    if (this.building) this.freeze()
    const { scores, counts } = this
    const touched: number[] = []
    tokens.forEach((token, q) => {
      const t = this.terms.get(token)
      if (t === undefined) return
      const ids = this.docIds[t]!
      const weights = this.weights[t]!
      const idf = this.idf(token) * (tokenWeights?.[q] ?? 1)
      for (let i = 0; i < ids.length; i++) {
        const doc = ids[i]!
        const w = weights[i]!
        if (counts[doc] === 0) touched.push(doc)
        counts[doc]!++
        scores[doc]! += (idf * w * (K1 + 1)) / (w + K1)
      }
    })
    const ratio = options.minShouldMatch ?? (tokens.length <= 4 ? 0.5 : 1 / 3)
    const need = Math.max(1, Math.ceil(tokens.length * ratio - 1e-9))
    const hits: SearchHit[] = []
    for (const doc of touched) {
      if (counts[doc]! >= need && (!options.filter || options.filter(doc))) {
        hits.push({ doc, score: scores[doc]!, matched: counts[doc]! })
      }
      scores[doc] = 0
      counts[doc] = 0
    }
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc)
    return options.limit ? hits.slice(0, options.limit) : hits
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.searchTokens(queryTokens(query), options)
  }
}
