/**
 * One shape for every case in the library, curated (content/cases/*.mdx) or accepted from a
 * mediator's submission, so browse, search and similar cases treat them alike. Pure functions.
 */
import { SECTIONS } from './vocabulary.ts'

export interface LibraryCase {
  /** URL key: the file name for curated cases, the submission id for accepted submissions. */
  key: string
  kind: 'curated' | 'submitted'
  /** TJAL-2026-001 for curated cases; the submission id otherwise. */
  caseId: string
  title: string
  disputeType: string
  domains: string[]
  region: string
  year: number
  source: string
  outcome: string
  amountRange: string
  techniques: string[]
  legalBasis: string[]
  competencies: string[]
  difficulty: string | null
  commentator: string | null
  tags: string[]
  relatedDrills: string[]
  summary: string
  /** Plain text of the body, for search and snippets. */
  text: string
  /** For sorting by date: `YYYY` for curated cases, the acceptance instant for submissions. */
  sortDate: string
}

/** Plain text of an MDX body: component attributes that carry meaning kept, markup dropped. */
export function mdxPlainText(body: string): string {
  return body
    .replace(/<LawRef\s+([^>]*?)\/?>/g, (_, attrs: string) => {
      const law = /law="([^"]*)"/.exec(attrs)?.[1] ?? ''
      const article = /article="([^"]*)"/.exec(attrs)?.[1] ?? ''
      return `《${law}》${article} `
    })
    .replace(/<Technique\s+[^>]*name="([^"]*)"[^>]*>/g, '$1：')
    .replace(/<TimelineItem\s+[^>]*date="([^"]*)"[^>]*>/g, '$1 ')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '')
    .replace(/[*_`>]+/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{2,}/g, '\n')
    .trim()
}

/** Markdown text of a submission's four sections, with their headings. */
export function submissionMarkdown(sections: Record<(typeof SECTIONS)[number]['key'], string>): string {
  return SECTIONS.map((s) => `## ${s.heading}\n\n${sections[s.key]}`).join('\n\n')
}

/** The first characters of a region code that name it: 110000 → 11, 110100 → 1101, 110108 → 110108. */
export function regionPrefix(code: string): string {
  if (/^\d{2}0000$/.test(code)) return code.slice(0, 2)
  if (/^\d{4}00$/.test(code)) return code.slice(0, 4)
  return code
}

export interface CaseFilters {
  disputeType?: string
  domain?: string
  region?: string
  year?: number
  technique?: string
  outcome?: string
  /** Only these keys (bookmarks). */
  keys?: Set<string>
}

export function matchesFilters(c: LibraryCase, f: CaseFilters): boolean {
  if (f.disputeType && c.disputeType !== f.disputeType) return false
  if (f.domain && !c.domains.includes(f.domain) && c.disputeType !== f.domain) return false
  if (f.region && !c.region.startsWith(regionPrefix(f.region))) return false
  if (f.year && c.year !== f.year) return false
  if (f.technique && !c.techniques.includes(f.technique)) return false
  if (f.outcome && c.outcome !== f.outcome) return false
  if (f.keys && !f.keys.has(c.key)) return false
  return true
}
