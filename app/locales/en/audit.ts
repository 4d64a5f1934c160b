import type { audit as zh } from '../zh-CN/audit.ts'

export const audit: Record<keyof typeof zh, string> = {
  'audit.title': 'Audit log',
  'audit.list.caption': 'Audit log entries, newest first',
  'audit.intro': 'The audit log is read-only: nobody can change or delete it. Times are China Standard Time.',

  'audit.field.at': 'Time',
  'audit.field.user': 'User',
  'audit.field.roles': 'Roles',
  'audit.field.ip': 'Address',
  'audit.field.action': 'Action',
  'audit.field.record': 'Record',
  'audit.field.result': 'Result',
  'audit.field.detail': 'Detail',
  'audit.field.scope': 'Scope',

  'audit.filter.from': 'From',
  'audit.filter.to': 'To',
  'audit.filter.user': 'Username',
  'audit.filter.action': 'Action',
  'audit.filter.result': 'Result',
  'audit.filter.recordType': 'Record type',
  'audit.filter.recordId': 'Record id',

  'audit.anonymous': '(not signed in)',
  'audit.detail.show': 'Show',

  'audit.result.ok': 'Succeeded',
  'audit.result.denied': 'Denied',
  'audit.result.failed': 'Failed',

  'audit.recordType.person': 'Person',
  'audit.recordType.organisation': 'Organisation',
  'audit.recordType.user': 'Account',

  'audit.action.auth.sign_in': 'Sign-in',
  'audit.action.auth.sign_out': 'Sign-out',
  'audit.action.authz.forbidden': 'Access refused (no permission)',
  'audit.action.authz.out_of_scope': 'Access refused (outside scope)',
  'audit.action.person.create': 'Person registered',
  'audit.action.person.update': 'Person changed',
  'audit.action.person.reveal': 'Full number shown',
  'audit.action.org.create': 'Organisation created',
  'audit.action.org.update': 'Organisation changed',
}
