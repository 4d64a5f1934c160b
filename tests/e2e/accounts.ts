/**
 * The demo accounts db/seed creates, all with the same password. Each entry says what the
 * account is for, so a test picks the account by the duty it needs.
 */
export const DEMO_PASSWORD = 'Tiaojie-Demo-2026'

export const DEMO_ACCOUNTS = {
  admin: 'system administrator (系统管理员)',
  security: 'security administrator (安全管理员)',
  auditor: 'security auditor (安全审计员), read-only',
  'bj.staff': 'Beijing municipal justice bureau staff (北京市司法局)',
  'hd.staff': 'Haidian district justice bureau staff (海淀区司法局)',
  'cy.staff': 'Chaoyang district justice bureau staff (朝阳区司法局)',
  'bj.assoc': 'Beijing people’s mediation association administrator (北京市人民调解协会)',
  'hd.assoc': 'Haidian people’s mediation association administrator (海淀区人民调解协会)',
  'org.manager': 'mediation committee manager (调委会负责人)',
  mediator: 'people’s mediator (人民调解员)',
  expert: 'expert in the expert pool (专家)',
  reviewer: 'grading reviewer (评审)',
} as const

export type DemoUsername = keyof typeof DEMO_ACCOUNTS

export const DEMO_USERNAMES = Object.keys(DEMO_ACCOUNTS) as DemoUsername[]
