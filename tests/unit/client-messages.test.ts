import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Plugin, TransformResult } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  clientMessages,
  importedSpecifiers,
  messagePrefixes,
  referencedMessageKeys,
  serverImportGraph,
} from '../../vite-plugins/client-messages.ts'

const KEYS = ['experts.title', 'experts.tier.national', 'experts.tier.municipal', 'tierFit.a.national', 'api.scope.cases:read', 'nav.home']

describe('referencedMessageKeys', () => {
  it('finds whole keys in quotes, message references and comments', () => {
    const source = `t('experts.title'); messageRef("api.scope.cases:read"); const e = 'nav.home?max=64' // experts.tier.national`
    expect([...referencedMessageKeys(source, KEYS)].sort()).toEqual([
      'api.scope.cases:read',
      'experts.tier.national',
      'experts.title',
      'nav.home',
    ])
  })

  it('expands a prefix a template or a concatenation completes', () => {
    expect([...referencedMessageKeys('t(`experts.tier.${tier}`)', KEYS)].sort()).toEqual([
      'experts.tier.municipal',
      'experts.tier.national',
    ])
    expect([...referencedMessageKeys("t('experts.tier.' + tier)", KEYS)].sort()).toEqual([
      'experts.tier.municipal',
      'experts.tier.national',
    ])
    expect([...referencedMessageKeys('t(`tierFit.${d}.${tier}`)', KEYS)]).toEqual(['tierFit.a.national'])
    // A key completed inside its last segment (`…level${n}` for level0, level1…).
    const levels = ['cases.config.proximity.level0', 'cases.config.proximity.level1', 'cases.config.proximity.other']
    expect([...referencedMessageKeys('label(`cases.config.proximity.level${b}`)', levels)].sort()).toEqual([
      'cases.config.proximity.level0',
      'cases.config.proximity.level1',
    ])
  })

  it('ignores property access and dotted text that is no key', () => {
    expect(referencedMessageKeys('experts.tier.length; data.experts.title; "experts.titles"; experts.\n  map(x)', KEYS).size).toBe(0)
  })
})

describe('importedSpecifiers', () => {
  it('lists value imports and re-exports, not type-only imports', () => {
    const code = [
      "import type { A } from '#app/a.ts'",
      "import { b, type C } from '#app/b.ts'",
      "import * as d from './d.ts'",
      "import './e.css'",
      "export { f } from '#app/f.ts'",
      'import {\n  g,\n  h,\n} from "#app/g.server.ts"',
    ].join('\n')
    expect([...importedSpecifiers(code)].sort()).toEqual(['#app/b.ts', '#app/f.ts', '#app/g.server.ts', './d.ts', './e.css'])
  })
})

describe('messagePrefixes', () => {
  it('lists the second segments under each first one, once', () => {
    expect(messagePrefixes([...KEYS, 'experts.tier.district'])).toEqual({ api: 'scope', experts: 'tier title', nav: 'home', tierFit: 'a' })
  })
})

/**
 * A small app on disk for the second step: a route whose action calls a `.server` module, which
 * runs a validator (two imports deep), which takes its messages from a third module; the
 * validator and the messages import each other and the `.server` module back (cycles), and the
 * validator also reaches a client component and another area's `.server` module.
 */
describe('server imports of a route, followed transitively', () => {
  let root: string
  let appDir: string
  const FILES: Record<string, string> = {
    'routes/page.tsx': [
      "import { save } from '#app/modules/a/data.server.ts'",
      "import { Widget } from '#app/components/widget.tsx'",
      "import type { Problem } from '../modules/b/types.ts'",
      "export const action = () => save('k.own')",
      'export default function Page() { return Widget() }',
    ].join('\n'),
    'modules/a/data.server.ts': "import { validate } from '../b/validate.ts'\nexport const save = () => validate() ?? 'k.one'",
    'modules/b/validate.ts': [
      "import { problems } from './messages.ts'",
      "import { extra } from './extra'",
      "import { save } from '../a/data.server.ts'",
      "import { Widget } from '#app/components/widget.tsx'",
      "import { far } from '#app/modules/c/other.server.ts'",
      "export const validate = () => [problems, extra, 'k.two', save, Widget, far]",
    ].join('\n'),
    'modules/b/messages.ts': "import { validate } from './validate.ts'\nexport const problems = ['k.three', validate]",
    'modules/b/extra.ts': "export const extra = 'k.extra'",
    'modules/b/types.ts': "export type Problem = 'k.typeOnly'",
    'modules/c/other.server.ts': "export const far = 'k.far'",
    'components/widget.tsx': "import { inner } from './inner.ts'\nexport const Widget = () => ['k.client', inner]",
    'components/inner.ts': "export const inner = 'k.inner'",
  }
  const KEYS = ['k.own', 'k.one', 'k.two', 'k.three', 'k.extra', 'k.typeOnly', 'k.far', 'k.client', 'k.inner']
  const catalogs = {
    'zh-CN': Object.fromEntries(KEYS.map((k) => [k, `中 ${k}`])),
    en: Object.fromEntries(KEYS.map((k) => [k, `en ${k}`])),
  }

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'client-messages-'))
    appDir = path.join(root, 'app')
    for (const [file, code] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(appDir, file)), { recursive: true })
      fs.writeFileSync(path.join(appDir, file), code)
    }
  })
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

  /** The keys of the `addMessages({…zh-CN}, {…en})` call a transform put on the module's first line. */
  function registered(result: TransformResult | null): string[] {
    if (!result?.code) return []
    const call = /^import \{ addMessages as \w+ \} from "[^"]+";\w+\((\{.*?\}), \{/.exec(result.code)
    return Object.keys(JSON.parse(call?.[1] ?? '{}')).sort()
  }

  async function transform(plugin: Plugin, code: string, id: string) {
    const hook = plugin.transform as (code: string, id: string, options?: { ssr?: boolean }) => Promise<TransformResult | null>
    return hook.call({}, code, id, { ssr: false })
  }

  it('registers with the route the keys two and three imports deep, and stops at the client graph and other .server modules', async () => {
    const [pre, post] = clientMessages({ appDir, skip: () => false, registry: '/registry.ts', catalogs })
    const route = path.join(appDir, 'routes/page.tsx')
    const source = FILES['routes/page.tsx']!
    // Before the Remix plugin: the route's own keys, its action's included.
    expect(registered(await transform(pre!, source, route))).toEqual(['k.own'])
    // After it: the action and its import are gone, the component's import is kept.
    const stripped = "import { Widget } from '#app/components/widget.tsx'\nexport default function Page() { return Widget() }"
    expect(registered(await transform(post!, stripped, route))).toEqual(['k.extra', 'k.one', 'k.three', 'k.two'])
  })

  it('reads each module once across routes, and a cycle ends', async () => {
    const graph = serverImportGraph({ appDir, scanned: (file) => file.startsWith(appDir + path.sep), keys: KEYS })
    const route = path.join(appDir, 'routes/page.tsx')
    const imports = ['#app/modules/a/data.server.ts', '#app/components/widget.tsx']
    const kept = new Set(['#app/components/widget.tsx'])
    expect([...(await graph.serverKeys(route, imports, kept))].sort()).toEqual(['k.extra', 'k.one', 'k.three', 'k.two'])
    const reads = graph.reads()
    // data.server, validate, messages, extra; widget, inner (the client graph): other.server is never entered.
    expect(reads).toBe(6)
    // Another route with the same server import reads nothing again.
    const other = path.join(appDir, 'routes/other.tsx')
    expect([...(await graph.serverKeys(other, ['../modules/a/data.server.ts'], new Set()))].sort()).toEqual([
      'k.client',
      'k.extra',
      'k.inner',
      'k.one',
      'k.three',
      'k.two',
    ])
    expect(graph.reads()).toBe(reads)
  })

  it('resolves #app/ and relative specifiers, with or without an extension, and nothing outside the app', async () => {
    const graph = serverImportGraph({ appDir, scanned: (file) => file.startsWith(appDir + path.sep), keys: KEYS })
    const validate = path.join(appDir, 'modules/b/validate.ts')
    expect(await graph.resolve('./extra', validate)).toBe(path.join(appDir, 'modules/b/extra.ts'))
    expect(await graph.resolve('#app/modules/b/extra.ts', validate)).toBe(path.join(appDir, 'modules/b/extra.ts'))
    expect(await graph.resolve('../../../outside.ts', validate)).toBeNull()
    expect(await graph.resolve('kysely', validate)).toBeNull()
    expect(await graph.resolve('./print.css?url', validate)).toBeNull()
  })
})
