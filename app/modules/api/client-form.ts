/**
 * The administrator's form for a partner client (create and edit), shared by the action and the
 * component. Kind decides what a client may be granted: only courts and police refer cases.
 */
import { fields, z } from '#app/lib/validation.ts'
import { API_SCOPES, CLIENT_KINDS, RATE_LIMIT_MAX, RATE_LIMIT_MIN, canRefer } from './model.ts'

const webhookUrl = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z
    .string()
    .trim()
    .max(500)
    .refine((v) => {
      try {
        const url = new URL(v)
        return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password
      } catch {
        return false
      }
    }, 'api.form.webhookUrlInvalid')
    .optional(),
)

const clientFields = {
  name: fields.text(100),
  kind: z.enum(CLIENT_KINDS),
  regionCode: fields.text(12),
  scopes: z.array(z.enum(API_SCOPES)).min(1, 'api.form.scopesRequired'),
  rateLimitPerMinute: z.coerce.number().int().min(RATE_LIMIT_MIN).max(RATE_LIMIT_MAX),
  webhookUrl,
}

function referralScopeFitsKind(value: { kind: (typeof CLIENT_KINDS)[number]; scopes: string[] }, ctx: z.RefinementCtx) {
  if (value.scopes.includes('cases:refer') && !canRefer(value.kind)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scopes'], message: 'api.form.referNeedsCourtOrPolice' })
  }
}

export const createClientSchema = z.object(clientFields).superRefine(referralScopeFitsKind)
export type ClientInput = z.infer<typeof createClientSchema>

export const updateClientSchema = z
  .object({ intent: z.literal('update'), version: fields.version(), ...clientFields })
  .superRefine(referralScopeFitsKind)

/** Buttons on the client's page that change one thing, each against the version shown. */
export const clientCommandSchema = z.object({
  intent: z.enum(['rotate-secret', 'rotate-webhook-secret', 'disable', 'enable']),
  version: fields.version(),
})

/** Production sends status notifications over https only; http is for local receivers in development. */
export function webhookUrlAllowed(url: string | undefined, production: boolean): boolean {
  if (!url) return true
  return !production || url.startsWith('https://')
}
