import { describe, expect, it } from 'vitest'
import { translate } from '#app/lib/i18n.ts'
import { ORG_KINDS, ORG_STATUSES, isOrgKind, orgKindLabel, orgStatusLabel } from './labels.ts'

describe('organisation labels', () => {
  it('names all nine kinds in both languages', () => {
    expect(ORG_KINDS).toHaveLength(9)
    for (const kind of ORG_KINDS) {
      expect(translate('zh-CN', orgKindLabel(kind))).not.toBe(orgKindLabel(kind))
      expect(translate('en', orgKindLabel(kind))).not.toBe(orgKindLabel(kind))
    }
    expect(translate('zh-CN', orgKindLabel('committee_sector'))).toBe('行业性专业性人民调解委员会')
    expect(translate('en', orgKindLabel('committee_sector'))).toBe('Sector committee')
  })

  it('names every status and recognises only real kinds', () => {
    expect(ORG_STATUSES.map((s) => translate('zh-CN', orgStatusLabel(s)))).toEqual(['正常', '已撤销'])
    expect(isOrgKind('studio')).toBe(true)
    expect(isOrgKind('toString')).toBe(false)
    expect(isOrgKind(undefined)).toBe(false)
  })
})
