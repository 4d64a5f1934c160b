// Retention of dispute parties' personal data (issue 11, security checklist item 28).
export const retention = {} as const
