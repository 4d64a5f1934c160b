import { describe, expect, it } from 'vitest'
import { DEFAULT_GRADING_CONFIG } from './config.ts'
import { committeeRowsFrom, parseCommittee, parseScores } from './review-schemas.ts'

const rubric = DEFAULT_GRADING_CONFIG.rubric

function form(values: Record<string, string>) {
  const f = new FormData()
  for (const [k, v] of Object.entries(values)) f.set(k, v)
  return f
}

const full = (points: string, comment = '好') =>
  Object.fromEntries(
    rubric.flatMap((c) => [
      [`p.${c.key}`, points],
      [`c.${c.key}`, comment],
    ]),
  )

describe('parseScores', () => {
  it('accepts whole points from 0 to maxPoints, at both ends', () => {
    expect(parseScores(form(full('0')), rubric, true)).toMatchObject({ ok: true, points: { law: 0, ethics: 0 } })
    expect(parseScores(form(full('10')), rubric, true)).toMatchObject({ ok: true, points: { law: 10 } })
  })

  it('refuses out of range, fractions, negatives, blanks and missing comments, keeping the input', () => {
    const result = parseScores(
      form({ ...full('7'), 'p.law': '11', 'p.skill': '6.5', 'p.record': '-1', 'p.documents': '', 'c.ethics': ' ' }),
      rubric,
      true,
    )
    expect(result).toMatchObject({
      ok: false,
      errors: {
        'p.law': 'gradingReview.error.pointsRange',
        'p.skill': 'gradingReview.error.pointsWhole',
        'p.record': 'gradingReview.error.pointsWhole',
        'p.documents': 'gradingReview.error.pointsRequired',
        'c.ethics': 'gradingReview.error.commentRequired',
      },
      input: { points: { law: '11', skill: '6.5', ethics: '7' } },
    })
  })

  it('does not need comments for calibration', () => {
    expect(parseScores(form(full('5', '')), rubric, false).ok).toBe(true)
  })
})

describe('committee rows', () => {
  it('drops blank rows and reads stored JSON defensively', () => {
    const rows = committeeRowsFrom(
      form({
        'name.0': '王',
        'affiliation.0': '司法局',
        'kind.0': 'bureau',
        'name.1': '',
        'affiliation.1': '',
        'name.2': '李',
        'affiliation.2': '律所',
        'kind.2': 'legal',
      }),
    )
    expect(rows).toEqual([
      { name: '王', affiliation: '司法局', kind: 'bureau' },
      { name: '李', affiliation: '律所', kind: 'legal' },
    ])
    expect(parseCommittee('not json')).toEqual([])
    expect(parseCommittee('[{"name":"王","affiliation":"司法局","kind":"bureau"}]')).toEqual([
      { name: '王', affiliation: '司法局', kind: 'bureau' },
    ])
  })
})
