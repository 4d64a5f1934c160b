import { describe, expect, it } from 'vitest'
import { errorLabel } from './labels.ts'

describe('delivery error labels', () => {
  it('splits a network error into its label and the system code', () => {
    expect(errorLabel('network:ECONNREFUSED')).toEqual({ key: 'webhooks.error.network', detail: 'ECONNREFUSED' })
  })
  it('labels known codes without detail and keeps unknown ones as detail', () => {
    expect(errorLabel('timeout')).toEqual({ key: 'webhooks.error.timeout', detail: null })
    expect(errorLabel('something odd')).toEqual({ key: 'webhooks.error.other', detail: 'something odd' })
  })
})
