/**
 * A person's audit history on the security world, for the tests that read it back (the record's
 * history page and the audit log export): Haidian staff creating and renaming hdMediator, a denied
 * look by Chaoyang staff, and one entry about another record (cyMediator) that must not show
 * among hdMediator's.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { newId } from '#app/lib/ids.ts'
import type { World } from '#tests/security/world.ts'

export async function insertPersonHistory(db: Executor, world: World): Promise<void> {
  const person = world.people.hdMediator.id
  const row = (at: string, action: string, result: 'ok' | 'denied', detail: unknown, username = 't.hdstaff') => ({
    id: newId(),
    at,
    user_id: null,
    username,
    roles: 'bureau_staff',
    scope: '110108',
    ip: '10.1.2.3',
    action,
    record_type: 'person',
    record_id: person,
    result,
    detail: JSON.stringify(detail),
  })
  await db
    .insertInto('audit_log')
    .values([
      row('2026-11-01T01:00:00.000Z', 'person.create', 'ok', { after: { name: '张三', phone: '138****0001' } }),
      row('2026-11-02T01:00:00.000Z', 'person.update', 'ok', { before: { name: '张三' }, after: { name: '张三丰' }, reason: '更正' }),
      row('2026-11-03T01:00:00.000Z', 'authz.out_of_scope', 'denied', { permission: 'person:view' }, 't.cystaff'),
      {
        ...row('2026-11-04T01:00:00.000Z', 'person.update', 'ok', { before: { name: 'x' }, after: { name: 'y' } }),
        record_id: world.people.cyMediator.id,
      },
    ])
    .execute()
}
