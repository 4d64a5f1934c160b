/**
 * Reads content/drills/<slug>.mdx through the one MDX pipeline. The frontmatter is the structure
 * (validated per kind), the body before `## 讲评` is the brief, the rest the debrief (shown only
 * after submission). Everything here runs on the server; pages get rendered HTML and, before
 * submission, only the parts of the structure that give nothing away (see public.ts).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { compileMdx, ContentError, parseFrontmatter } from '#app/lib/mdx/compile.server.ts'
import { renderMdx } from '#app/lib/mdx/render.server.tsx'
import type { Executor } from '#app/lib/db.server.ts'
import { z } from '#app/lib/validation.ts'
import { type DrillStructure, draftingSchema, quizSchema, scenarioSchema } from './model.ts'

export const DRILLS_DIR = path.join(process.cwd(), 'content', 'drills')
const DEBRIEF_HEADING = /^##\s*讲评\s*$/m
const SLUG = /^[a-z0-9][a-z0-9-]*$/
/** Paths under /drills that are pages, not drills. */
const RESERVED = new Set(['grading', 'events'])

export interface Drill {
  slug: string
  file: string
  structure: DrillStructure
  briefHtml: string
  debriefHtml: string
}

const kindOnly = z.object({ kind: z.enum(['quiz', 'scenario', 'drafting']) }).passthrough()
const anything = z.object({}).passthrough()

function schemaFor(kind: DrillStructure['kind']) {
  return kind === 'quiz' ? quizSchema : kind === 'scenario' ? scenarioSchema : draftingSchema
}

/** Parses one drill file; throws ContentError naming the file and the field or item. */
export async function parseDrill(db: Executor | null, file: string, source: string): Promise<Drill> {
  const slug = path.basename(file, '.mdx')
  if (RESERVED.has(slug)) throw new ContentError(file, '(file name)', `"${slug}" is a reserved path under /drills`)
  if (!SLUG.test(slug)) throw new ContentError(file, '(file name)', 'slugs are lower-case letters, digits and hyphens')
  const match = DEBRIEF_HEADING.exec(source)
  if (!match) throw new ContentError(file, '(body)', 'missing the "## 讲评" (debrief) section')
  const briefSource = source.slice(0, match.index)
  const debriefSource = source.slice(match.index + match[0].length)
  const brief = await compileMdx(db, briefSource, kindOnly, file)
  const structure = parseFrontmatter(schemaFor(brief.frontmatter.kind) as z.ZodType<DrillStructure>, brief.frontmatter, file)
  const debrief = await compileMdx(db, debriefSource, anything, file)
  const context = { caseHref: (s: string) => `/library/${s}` }
  return {
    slug,
    file,
    structure,
    briefHtml: renderMdx(brief.hash, brief.code, context),
    debriefHtml: renderMdx(debrief.hash, debrief.code, context),
  }
}

let cache: { key: string; drills: Map<string, Drill> } | null = null

/** All drills, keyed by slug, re-read when a file changes (mtime and size). */
export async function loadDrills(db: Executor | null, dir = DRILLS_DIR): Promise<Map<string, Drill>> {
  let names: string[]
  try {
    names = (await fs.readdir(dir)).filter((n) => n.endsWith('.mdx')).sort()
  } catch {
    return new Map()
  }
  const stats = await Promise.all(names.map((n) => fs.stat(path.join(dir, n))))
  const key = `${dir}|${names.map((n, i) => `${n}:${stats[i]!.mtimeMs}:${stats[i]!.size}`).join('|')}`
  if (cache?.key === key) return cache.drills
  const drills = new Map<string, Drill>()
  for (const name of names) {
    const file = path.join(dir, name)
    const drill = await parseDrill(db, path.relative(process.cwd(), file), await fs.readFile(file, 'utf8'))
    drills.set(drill.slug, drill)
  }
  cache = { key, drills }
  return drills
}

export async function getDrill(db: Executor | null, slug: string): Promise<Drill | null> {
  return (await loadDrills(db)).get(slug) ?? null
}
