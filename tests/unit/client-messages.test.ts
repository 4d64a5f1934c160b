import { describe, expect, it } from 'vitest'
import { importedSpecifiers, messagePrefixes, referencedMessageKeys } from '../../vite-plugins/client-messages.ts'

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
