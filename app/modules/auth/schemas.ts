import { z } from '#app/lib/validation.ts'

export const signInSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  redirectTo: z.string().max(500).optional(),
})

/** New password with confirmation; the policy check (length, common list, username) runs in the action. */
export const newPasswordSchema = z
  .object({
    password: z.string().min(1).max(256),
    confirm: z.string().min(1).max(256),
  })
  .refine((v) => v.password === v.confirm, { message: 'auth.password.mismatch', path: ['confirm'] })

export const changePasswordSchema = z
  .object({
    intent: z.literal('change-password'),
    currentPassword: z.string().min(1).max(256),
    /** The authenticator code (or a recovery code), required in the action when a second factor is enrolled. */
    code: z.string().trim().max(40).optional(),
    password: z.string().min(1).max(256),
    confirm: z.string().min(1).max(256),
  })
  .refine((v) => v.password === v.confirm, { message: 'auth.password.mismatch', path: ['confirm'] })

/** Ends one of the user's own sessions, named by its stored hash (never the token). */
export const endSessionSchema = z.object({
  intent: z.literal('end-session'),
  handle: z.string().regex(/^[0-9a-f]{64}$/),
})

/** Lifts a sign-in lock; the key names an account or an address, exactly as stored. */
export const liftLockSchema = z.object({
  key: z.string().regex(/^(account|address):.{1,180}$/),
})
