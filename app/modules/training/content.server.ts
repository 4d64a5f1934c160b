/**
 * Loads shipped training content from content/training through the one MDX pipeline
 * (#app/lib/mdx/compile.server.ts): each file is compiled once per content hash (memory, then the
 * mdx_cache table), and frontmatter is validated, naming the file and the field on failure.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { ContentError, compileMdx } from '#app/lib/mdx/compile.server.ts'
import type { Heading } from '#app/lib/mdx/headings.ts'
import type { Executor } from '#app/lib/db.server.ts'
import { loadDrills } from '#app/modules/drills/content.server.ts'
import type { ZodType } from 'zod'
import {
  type CourseFrontmatter,
  courseFrontmatterSchema,
  type ModuleFrontmatter,
  moduleFrontmatterSchema,
  parseModuleFileName,
  SLUG_PATTERN,
} from './content-schema.ts'

export const CONTENT_DIR = path.resolve('content/training')

export interface TrainingModule {
  slug: string
  order: number
  file: string
  hash: string
  code: string
  headings: Heading[]
  frontmatter: ModuleFrontmatter
}

export interface TrainingCourse {
  slug: string
  file: string
  hash: string
  code: string
  frontmatter: CourseFrontmatter
  modules: TrainingModule[]
}

// compileMdx takes ZodType<Output>; these schemas transform (Chinese terms → codes, defaults), so
// their input type differs from the output. Parsing still goes through the full schema.
const COURSE_SCHEMA = courseFrontmatterSchema as unknown as ZodType<CourseFrontmatter>
const MODULE_SCHEMA = moduleFrontmatterSchema as unknown as ZodType<ModuleFrontmatter>

async function readSource(file: string): Promise<string> {
  return fs.readFile(file, 'utf8')
}

const relative = (file: string) => path.relative(process.cwd(), file)

/** A module's `check: { quiz }` must name a quiz among the shipped drills. */
async function requireQuiz(db: Executor | null, slug: string, file: string): Promise<void> {
  const drill = (await loadDrills(db)).get(slug)
  if (!drill) throw new ContentError(file, 'check.quiz', `no drill "${slug}" in content/drills`)
  if (drill.structure.kind !== 'quiz')
    throw new ContentError(file, 'check.quiz', `drill "${slug}" is a ${drill.structure.kind}, not a quiz`)
}

/** One course with its modules, or null when there is no such course directory. */
export async function loadCourse(db: Executor | null, slug: string, dir = CONTENT_DIR): Promise<TrainingCourse | null> {
  if (!SLUG_PATTERN.test(slug)) return null
  const courseDir = path.join(dir, slug)
  const courseFile = path.join(courseDir, 'course.mdx')
  let names: string[]
  try {
    names = await fs.readdir(courseDir)
  } catch {
    return null
  }
  if (!names.includes('course.mdx')) return null
  const course = await compileMdx(db, await readSource(courseFile), COURSE_SCHEMA, relative(courseFile))
  const modules: TrainingModule[] = []
  for (const name of names.sort()) {
    if (name === 'course.mdx' || !name.endsWith('.mdx')) continue
    const parsed = parseModuleFileName(name)
    const file = path.join(courseDir, name)
    if (!parsed) throw new ContentError(relative(file), '(file name)', 'module files are named NN-slug.mdx')
    const compiled = await compileMdx(db, await readSource(file), MODULE_SCHEMA, relative(file))
    if (compiled.frontmatter.quizCheck) await requireQuiz(db, compiled.frontmatter.quizCheck, relative(file))
    modules.push({ slug: parsed.slug, order: parsed.order, file: relative(file), ...compiled })
  }
  if (!modules.length) throw new ContentError(relative(courseFile), '(modules)', 'a course needs at least one module')
  if (new Set(modules.map((m) => m.slug)).size !== modules.length)
    throw new ContentError(relative(courseFile), '(modules)', 'duplicate module slug')
  return { slug, file: relative(courseFile), hash: course.hash, code: course.code, frontmatter: course.frontmatter, modules }
}

/** Every shipped course, in catalogue order. */
export async function loadCatalogue(db: Executor | null, dir = CONTENT_DIR): Promise<TrainingCourse[]> {
  let entries: string[]
  try {
    entries = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)
  } catch {
    return []
  }
  const courses: TrainingCourse[] = []
  for (const slug of entries.sort()) {
    if (!SLUG_PATTERN.test(slug))
      throw new ContentError(relative(path.join(dir, slug)), '(directory name)', 'course slugs are lower-case letters, digits and dashes')
    const course = await loadCourse(db, slug, dir)
    if (course) courses.push(course)
  }
  return courses.sort((a, b) => a.frontmatter.order - b.frontmatter.order || a.slug.localeCompare(b.slug))
}
