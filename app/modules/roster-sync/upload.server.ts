/**
 * The upload form of roster sync: a multipart request with the file and a few short fields
 * (source, kind, region), read with the file capped while it streams. Only the named fields are
 * kept; anything else in the request is dropped unread.
 */
import {
  MaxPartSizeExceededError,
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from '@remix-run/node'
import { isId } from '#app/lib/ids.ts'
import { fields, z } from '#app/lib/validation.ts'

const TEXT_FIELDS = new Set(['sourceId', 'newSource', 'kind', 'regionCode'])

export const uploadSchema = z
  .object({
    sourceId: z.string().refine(isId, 'validation.choice').optional(),
    newSource: fields.optionalText(100),
    kind: z.enum(['orgs', 'mediators']),
    regionCode: z.string().regex(/^\d{6,12}$/, 'validation.choice'),
  })
  .superRefine((value, ctx) => {
    if (!value.sourceId && !value.newSource) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['sourceId'], message: 'rosterSync.upload.sourceRequired' })
    }
  })

export type UploadInput = z.infer<typeof uploadSchema>

export type SyncUpload = { form: FormData; file: { bytes: Uint8Array; name: string } | null; tooLarge: boolean }

export async function readSyncUpload(request: Request, maxBytes: number): Promise<SyncUpload> {
  let form: FormData
  try {
    form = await parseMultipartFormData(
      request,
      composeUploadHandlers(
        createMemoryUploadHandler({ maxPartSize: maxBytes, filter: ({ name, filename }) => name === 'file' && !!filename }),
        createMemoryUploadHandler({ maxPartSize: 1_000, filter: ({ name, filename }) => !filename && TEXT_FIELDS.has(name) }),
      ),
    )
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) {
      return { form: new FormData(), file: null, tooLarge: true }
    }
    throw error
  }
  const file = form.get('file')
  form.delete('file')
  if (!(file instanceof Blob) || file.size === 0) return { form, file: null, tooLarge: false }
  const name = file instanceof File ? file.name : ''
  return { form, file: { bytes: new Uint8Array(await file.arrayBuffer()), name }, tooLarge: false }
}
