export const twoFactor = {} as const
