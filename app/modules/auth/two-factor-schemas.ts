/** Forms of two-factor sign-in: the second step, enrolment, re-authentication and account actions. */
import { z } from '#app/lib/validation.ts'

/** Six digits, spaces allowed (apps show `123 456`). */
const totpCode = () =>
  z
    .string()
    .trim()
    .regex(/^\d{3}\s?\d{3}$/, 'twoFactor.codeFormat')

export const totpStepSchema = z.object({ intent: z.literal('totp'), code: totpCode() })

export const recoveryStepSchema = z.object({ intent: z.literal('recovery'), recoveryCode: z.string().trim().min(1).max(40) })

export const confirmEnrolmentSchema = z.object({ intent: z.literal('confirm'), code: totpCode() })

/** Password, and the authenticator code (or a recovery code) when a second factor is enrolled. */
export const reauthSchema = z.object({
  intent: z.literal('reauth'),
  password: z.string().min(1).max(256),
  code: z.string().trim().max(40).optional(),
})
