import { describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { parseDeliveryFilter } from './filters.ts'

describe('delivery log filters', () => {
  it('keeps valid ids, statuses and pages', () => {
    const client = newId()
    const kase = newId()
    expect(parseDeliveryFilter(new URLSearchParams({ client, status: 'failed', case: kase, page: '3' }))).toEqual({
      clientId: client,
      status: 'failed',
      caseId: kase,
      page: 3,
    })
  })
  it('drops what is not an id, an unknown status and a bad page', () => {
    expect(parseDeliveryFilter(new URLSearchParams({ client: "1' or 1=1", status: 'lost', case: 'x', page: '-2' }))).toEqual({
      clientId: null,
      status: null,
      caseId: null,
      page: 1,
    })
  })
})
