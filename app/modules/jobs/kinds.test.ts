import { describe, expect, it } from 'vitest'
import { isJobKind, isOpen, parseParams, percentDone, serialiseParams } from './kinds.ts'

const people = { region: '110108', org: null, employment: null, status: null, q: '', sort: 'name', dir: 'asc', full: false }

describe('job kinds and parameters', () => {
  it('stores equal filters as equal text, whatever the key order (the open-job key depends on it)', () => {
    const reordered = Object.fromEntries(Object.entries(people).reverse())
    expect(serialiseParams(reordered)).toBe(serialiseParams(people))
    expect(serialiseParams(people).indexOf('"dir"')).toBeLessThan(serialiseParams(people).indexOf('"org"'))
  })

  it('reads back only parameters of the kind’s shape', () => {
    expect(parseParams('people.register', serialiseParams(people))).toEqual(people)
    expect(parseParams('people.register', serialiseParams({ ...people, idNumber: '110105199001011234' }))).toBeNull()
    expect(parseParams('people.register', serialiseParams({ ...people, sort: 'phone' }))).toBeNull()
    expect(parseParams('people.register', '{not json')).toBeNull()
    expect(parseParams('experts.register', serialiseParams(people))).toBeNull()
  })

  it('knows its kinds and open states', () => {
    expect(isJobKind('people.register')).toBe(true)
    expect(isJobKind('people.delete')).toBe(false)
    expect(isOpen('queued')).toBe(true)
    expect(isOpen('running')).toBe(true)
    expect(isOpen('cancelled')).toBe(false)
  })

  it('shows whole per cents, 0 while the total is unknown, 100 only when done', () => {
    expect(percentDone('running', 0, null)).toBe(0)
    expect(percentDone('running', 250, 1000)).toBe(25)
    expect(percentDone('running', 999, 1000)).toBe(99)
    expect(percentDone('running', 1000, 1000)).toBe(99)
    expect(percentDone('done', 0, 0)).toBe(100)
    expect(percentDone('queued', 5, 0)).toBe(0)
  })
})
