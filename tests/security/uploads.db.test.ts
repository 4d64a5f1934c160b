/**
 * Uploads (security checklist 22), route by route: a file whose bytes are not what its name says,
 * a file over the route's cap, and names that try to climb out of the upload directory. Whatever
 * happens, nothing lands outside TIAOJIE_UPLOAD_DIR, stored files have generated names, and a
 * refused file leaves neither a file nor a row behind.
 *
 * Then downloads (checklist 22, 13): each file route, asked by users of another scope, answers 404.
 *
 * Routes: an expert's photo, a mediator's external-training proof, a grading attachment, the
 * expert import and the case-statistics import. (An objection's attachment on the public notice
 * is refused by its bytes in app/modules/grading/notice.db.test.ts; it is stored under a generated
 * name by the same pattern.)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { readExpertSettings } from '#app/modules/experts/settings.server.ts'
import { attachmentMaxBytes } from '#app/modules/grading/attachments.server.ts'
import { action as photoAction, loader as photoLoader } from '#app/routes/_app.experts.$expertId.photo.tsx'
import { action as importAction } from '#app/routes/_app.experts.import._index.tsx'
import { loader as attachmentLoader } from '#app/routes/_app.grading.attachments.$attachmentId.tsx'
import { action as attachmentAction } from '#app/routes/_app.grading.attachments.upload.tsx'
import { action as caseStatsAction } from '#app/routes/_app.grading.case-stats.tsx'
import { loader as archiveLoader } from '#app/routes/_app.training.archive.$personId[.xlsx].tsx'
import { loader as proofLoader } from '#app/routes/_app.training.external.$recordId_.proof.tsx'
import { action as externalAction } from '#app/routes/_app.training.external.new.tsx'
import { createExpert } from '#db/seed/expert-pool.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createOrganisation, createUser } from '#tests/fixtures/factories.ts'
import { HAIDIAN, type Outcome, type World, buildWorld, call, cookieFor } from './world.ts'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiaojie-upload-attacks-'))
const uploads = path.join(root, 'uploads')

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
])
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0])
const HTML = new TextEncoder().encode('<!doctype html><script>alert(document.cookie)</script>')

/** Names that try to leave the directory or confuse whoever reads them later. */
const TRICKY_NAMES = [
  '../../../../escaped.png',
  '..\\..\\..\\escaped.png',
  '/etc/escaped.png',
  'C:\\escaped.png',
  '%2e%2e%2fescaped.png',
  'a\u202egnp.exe',
]

/** `bytes` padded to `size` (a valid header followed by filler). */
function sized(header: Uint8Array, size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  bytes.set(header)
  return bytes
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name))
}

interface UploadRoute {
  name: string
  /** Posts one file (bytes and name) and returns what the action answered. */
  post: (bytes: Uint8Array<ArrayBuffer>, fileName: string) => Promise<Outcome>
  /** Rows the route writes, to prove a refused upload wrote none. */
  rows: () => Promise<number>
  valid: { bytes: Uint8Array<ArrayBuffer>; extension: string }
  wrong: { bytes: Uint8Array<ArrayBuffer>; name: string }[]
  cap: () => Promise<number>
  /** Whether an accepted upload is kept as a file (imports read it and keep rows only). */
  storesFile: boolean
}

let world: World
let expertId: string
const routes: UploadRoute[] = []
const count = async (table: 'grading_attachments' | 'training_records' | 'expert_import_batches' | 'mediator_case_stats') =>
  Number(
    (
      await testDb()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

function multipart(fields: Record<string, string>, fileField: string, bytes: Uint8Array<ArrayBuffer>, fileName: string): FormData {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  form.append(fileField, new File([bytes], fileName))
  return form
}

/** A refusal: a 4xx answer, or a redirect carrying an error message. */
function refused(outcome: Outcome): boolean {
  return (outcome.status >= 400 && outcome.status < 500) || (outcome.status === 302 && outcome.location !== null && outcome.data === null)
}

beforeAll(async () => {
  process.env.TIAOJIE_UPLOAD_DIR = uploads
  world = await buildWorld(testDb())
  const bureau = await createOrganisation(testDb(), { name: '海淀区司法局', kind: 'justice_bureau', region_code: HAIDIAN })
  expertId = (await createExpert(testDb(), { tier: 'district', region_code: HAIDIAN, appointing_org_id: bureau.id })).expert.person_id
  const photoCount = async () => filesUnder(path.join(uploads, 'experts')).length

  routes.push(
    {
      name: 'expert photo',
      post: (bytes, fileName) =>
        call(photoAction, `/experts/${expertId}/photo`, {
          cookie: world.users.hdStaff.cookie,
          params: { expertId },
          form: multipart({}, 'photo', bytes, fileName),
        }),
      rows: photoCount,
      valid: { bytes: PNG.slice(), extension: 'png' },
      wrong: [
        { bytes: HTML, name: 'photo.png' },
        { bytes: EXE, name: 'photo.jpg' },
        { bytes: PDF, name: 'photo.png' },
      ],
      cap: async () => (await readExpertSettings(testDb())).photoMaxBytes,
      storesFile: true,
    },
    {
      name: 'external training proof',
      post: (bytes, fileName) =>
        call(externalAction, '/training/external/new', {
          cookie: world.users.mediator.cookie,
          form: multipart(
            {
              submissionKey: newId(),
              title: '上传攻击测试培训',
              provider: '北京市司法局',
              kind: 'annual',
              format: 'classroom',
              startDate: '2026-01-05',
              endDate: '2026-01-06',
              hours: '8',
              assessment: '合格',
            },
            'proof',
            bytes,
            fileName,
          ),
        }),
      rows: () => count('training_records'),
      valid: { bytes: PDF.slice(), extension: 'pdf' },
      wrong: [
        { bytes: HTML, name: 'proof.pdf' },
        { bytes: EXE, name: 'proof.png' },
      ],
      cap: async () => 5_000_000,
      storesFile: true,
    },
    {
      name: 'grading attachment',
      post: (bytes, fileName) =>
        call(attachmentAction, '/grading/attachments/upload', {
          cookie: world.users.mediator.cookie,
          form: multipart({ personId: world.people.hdMediator.id, back: '/grading' }, 'file', bytes, fileName),
        }),
      rows: () => count('grading_attachments'),
      valid: { bytes: PDF.slice(), extension: 'pdf' },
      wrong: [
        { bytes: HTML, name: 'evidence.pdf' },
        { bytes: EXE, name: 'evidence.jpg' },
      ],
      cap: () => attachmentMaxBytes(testDb()),
      storesFile: true,
    },
    {
      name: 'expert import',
      post: (bytes, fileName) =>
        call(importAction, '/experts/import', { cookie: world.users.hdStaff.cookie, form: multipart({}, 'file', bytes, fileName) }),
      rows: () => count('expert_import_batches'),
      valid: { bytes: new TextEncoder().encode('姓名,身份证号\n'), extension: 'csv' },
      wrong: [
        { bytes: PDF, name: 'experts.xlsx' },
        { bytes: EXE, name: 'experts.csv' },
      ],
      cap: async () => 5_000_000,
      storesFile: false,
    },
    {
      name: 'case statistics import',
      post: (bytes, fileName) =>
        call(caseStatsAction, '/grading/case-stats', {
          cookie: world.users.hdManager.cookie,
          form: multipart({}, 'file', bytes, fileName),
        }),
      rows: () => count('mediator_case_stats'),
      valid: { bytes: new TextEncoder().encode('调解员证号,年度\n'), extension: 'csv' },
      wrong: [
        { bytes: PDF, name: 'stats.xlsx' },
        { bytes: EXE, name: 'stats.csv' },
      ],
      cap: async () => 2_000_000,
      storesFile: false,
    },
  )
})

afterAll(() => {
  Reflect.deleteProperty(process.env, 'TIAOJIE_UPLOAD_DIR')
  fs.rmSync(root, { recursive: true, force: true })
})

describe(`uploads (${testDialect()})`, () => {
  it('refuses bytes that are not what the name says, storing nothing', async () => {
    for (const route of routes) {
      for (const attempt of route.wrong) {
        const files = filesUnder(root).length
        const rows = await route.rows()
        const outcome = await route.post(attempt.bytes, attempt.name)
        expect(refused(outcome), `${route.name}: ${attempt.name} answered ${outcome.status}`).toBe(true)
        expect(filesUnder(root).length, `${route.name}: ${attempt.name}`).toBe(files)
        expect(await route.rows(), `${route.name}: ${attempt.name}`).toBe(rows)
      }
    }
  })

  it('refuses a file one byte over the cap, storing nothing', async () => {
    for (const route of routes) {
      const cap = await route.cap()
      const files = filesUnder(root).length
      const rows = await route.rows()
      const outcome = await route.post(sized(route.valid.bytes, cap + 1), `big.${route.valid.extension}`)
      expect(refused(outcome), `${route.name}: ${cap + 1} bytes answered ${outcome.status}`).toBe(true)
      expect(filesUnder(root).length, route.name).toBe(files)
      expect(await route.rows(), route.name).toBe(rows)
    }
  })

  it('keeps files inside the upload directory under generated names, whatever the name tries', async () => {
    for (const route of routes) {
      const before = await route.rows()
      for (const trick of TRICKY_NAMES) {
        const fileName = trick.replace(/png$/, route.valid.extension)
        const outcome = await route.post(route.valid.bytes, fileName)
        expect(outcome.status, `${route.name}: ${JSON.stringify(fileName)}`).toBeLessThan(500)
      }
      // The same bytes are accepted, so the refusals above were about the bytes and the size.
      if (route.storesFile) expect(await route.rows(), route.name).toBeGreaterThan(before)
    }
    const everything = filesUnder(root)
    for (const file of everything) {
      const relative = path.relative(uploads, file)
      expect(relative.startsWith('..'), `${file} is outside the upload directory`).toBe(false)
      expect(path.basename(file), file).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}\.(png|jpg|webp|pdf)$/)
    }
    expect(everything.some((f) => f.includes('escaped'))).toBe(false)
    // Names kept for display carry no path.
    const names = await testDb().selectFrom('grading_attachments').select('file_name').execute()
    for (const { file_name } of names) expect(file_name).not.toMatch(/[\\/]/)
  })
})

describe(`downloads without access (${testDialect()})`, () => {
  it('answer 404 to users of another scope and never hand over the bytes; the owner and staff in scope get them', async () => {
    const otherMediator = await createUser(testDb(), {
      username: 'downloads.other',
      roles: [{ role: 'mediator' }],
      personId: world.people.hdMediator2.id,
    })
    const otherMediatorCookie = await cookieFor(otherMediator.user.id)
    const proof = await testDb()
      .selectFrom('training_records')
      .select('id')
      .where('person_id', '=', world.people.hdMediator.id)
      .where('proof_key', 'is not', null)
      .executeTakeFirstOrThrow()
    const attachment = await testDb().selectFrom('grading_attachments').select('id').executeTakeFirstOrThrow()
    const downloads: { name: string; handler: unknown; path: string; params: Record<string, string>; insider: string }[] = [
      {
        name: 'expert photo',
        handler: photoLoader,
        path: `/experts/${expertId}/photo`,
        params: { expertId },
        insider: world.users.hdStaff.cookie,
      },
      {
        name: 'training proof',
        handler: proofLoader,
        path: `/training/external/${proof.id}/proof`,
        params: { recordId: proof.id },
        insider: world.users.mediator.cookie,
      },
      {
        name: 'grading attachment',
        handler: attachmentLoader,
        path: `/grading/attachments/${attachment.id}`,
        params: { attachmentId: attachment.id },
        insider: world.users.mediator.cookie,
      },
      {
        name: 'training archive export',
        handler: archiveLoader,
        path: `/training/archive/${world.people.hdMediator.id}.xlsx`,
        params: { personId: world.people.hdMediator.id },
        insider: world.users.hdStaff.cookie,
      },
    ]
    for (const d of downloads) {
      const own = await call(d.handler, d.path, { params: d.params, cookie: d.insider })
      expect(own.status, `${d.name} for someone who may`).toBe(200)
      // Staff of another district hold the permission but not the record: 404, as if it did not exist.
      const outOfScope = await call(d.handler, d.path, { params: d.params, cookie: world.users.cyStaff.cookie })
      expect(outOfScope.status, `${d.name} for Chaoyang staff`).toBe(404)
      expect(outOfScope.data).toBeNull()
      for (const [who, cookie] of [
        ['another mediator', otherMediatorCookie],
        ['an expert', world.users.expert.cookie],
        ['a user without grants', world.users.noGrants.cookie],
      ] as const) {
        const outcome = await call(d.handler, d.path, { params: d.params, cookie })
        expect(outcome.status, `${d.name} for ${who}`).toBeOneOf([403, 404])
        expect(outcome.thrown, `${d.name} for ${who}`).toBe(true)
      }
    }
  })
})
