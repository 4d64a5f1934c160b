import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data, redirect } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextareaField, TextField } from '#app/components/ui/form.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { getEnv } from '#app/lib/env.server.ts'
import { messageRef } from '#app/lib/i18n.ts'
import { isId, newId } from '#app/lib/ids.ts'
import { notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { clientAddress } from '#app/lib/request.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { formatMegabytes } from '#app/modules/experts/labels.ts'
import { objectionSchema } from '#app/modules/grading/notice-schemas.ts'
import { isPublicRound, objectionWindowOpen } from '#app/modules/grading/notice.ts'
import { fileObjection, noticeEntries, readObjectionForm, takeObjectionToken } from '#app/modules/grading/objections.server.ts'
import { loadRound } from '#app/modules/grading/round-scope.server.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.object.title')

const noStore = { 'Cache-Control': 'no-store' }

async function publicRound(roundId: string | undefined) {
  const loaded = await loadRound(getDb(), roundId ?? '')
  if (!loaded || !isPublicRound(loaded.round)) notFound()
  return loaded
}

/**
 * The public objection form (no sign-in, no captcha): open only during the round's notice period;
 * each load carries a fresh submission key so a double submit files one objection. After filing,
 * the page says so with the objection's reference (`?received=`).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const loaded = await publicRound(params.roundId)
  const db = getDb()
  const received = new URL(request.url).searchParams.get('received')
  if (received && isId(received)) {
    const found = await db
      .selectFrom('grading_objections')
      .select('id')
      .where('id', '=', received)
      .where('round_id', '=', loaded.round.id)
      .executeTakeFirst()
    if (found) return data({ roundId: loaded.round.id, received: found.id, form: null }, { headers: noStore })
  }
  const open = objectionWindowOpen(loaded.round, todayInChina())
  const entries = open ? await noticeEntries(db, loaded) : []
  return data(
    {
      roundId: loaded.round.id,
      received: null,
      form: {
        open,
        title: loaded.round.title,
        association: loaded.associationName,
        options: entries.map((e) => ({ value: e.applicationId, label: `${e.gradeName}：${e.name}（${e.orgName}）` })),
        submissionKey: newId(),
        maxSize: formatMegabytes(getEnv().MAX_UPLOAD_BYTES),
      },
    },
    { headers: noStore },
  )
}

export async function action({ request, params }: ActionFunctionArgs) {
  const loaded = await publicRound(params.roundId)
  const db = getDb()
  const maxBytes = getEnv().MAX_UPLOAD_BYTES
  const upload = await readObjectionForm(request, maxBytes)
  const submission = parseWithZod(upload.form, { schema: objectionSchema })
  if (upload.error) {
    const message = upload.error === 'tooLarge' ? 'gradingNotice.object.tooLarge' : 'gradingNotice.object.type'
    const errors = submission.status === 'success' ? {} : (submission.reply().error ?? {})
    return data(submission.reply({ fieldErrors: { ...errors, attachment: [messageRef(message, { size: formatMegabytes(maxBytes) })] } }), {
      status: 400,
    })
  }
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  if (!objectionWindowOpen(loaded.round, todayInChina())) {
    return data(submission.reply({ formErrors: ['gradingNotice.object.closed'] }), { status: 400 })
  }
  if (!(await takeObjectionToken(db, clientAddress(request)))) {
    return data(submission.reply({ formErrors: ['gradingNotice.object.throttled'] }), { status: 429 })
  }
  const filed = await fileObjection(db, request, loaded, submission.value, upload.attachment)
  if (!filed.ok) return data(submission.reply({ fieldErrors: { applicationId: ['gradingNotice.object.application'] } }), { status: 400 })
  return redirect(`/notice/${loaded.round.id}/object?received=${filed.id}`)
}

export default function FileObjection() {
  const t = useT()
  const loaderData = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'grading-objection',
    lastResult,
    constraint: getZodConstraint(objectionSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: objectionSchema }),
    shouldRevalidate: 'onBlur',
  })
  const back = `/notice/${loaderData.roundId}`
  if (loaderData.received) {
    return (
      <main className="mx-auto max-w-xl px-4 py-8">
        <h1 className="mb-4 text-2xl">{t('gradingNotice.object.receivedTitle')}</h1>
        <p className="card" data-testid="objection-received">
          {t('gradingNotice.object.received', { id: loaderData.received })}
        </p>
        <Link to={back} className="btn-secondary mt-4 inline-block">
          {t('gradingNotice.object.back')}
        </Link>
      </main>
    )
  }
  const f = loaderData.form!
  // Errors about the file come back on a field the form has no zod field for.
  const attachmentErrors = (lastResult as { error?: Record<string, string[] | null> } | undefined)?.error?.attachment ?? null
  return (
    <main className="mx-auto max-w-xl px-4 py-8">
      <h1 className="mb-2 text-2xl">{t('gradingNotice.object.title')}</h1>
      <p className="mb-4">{t('gradingNotice.public.heading', { association: f.association, round: f.title })}</p>
      {f.open ? (
        <Form method="post" encType="multipart/form-data" {...getFormProps(form)} className="card space-y-4">
          <p className="text-sm text-slate-700">{t('gradingNotice.object.intro')}</p>
          <FormErrors errors={form.errors} />
          <input type="hidden" name="submissionKey" value={f.submissionKey} />
          <TextField meta={fields.filerName} label={t('gradingNotice.object.filerName')} required autoComplete="name" />
          <TextField meta={fields.contact} label={t('gradingNotice.object.contact')} required autoComplete="tel" />
          <SelectField
            meta={fields.applicationId}
            label={t('gradingNotice.object.target')}
            options={f.options}
            placeholder={t('gradingNotice.object.wholeRound')}
          />
          <TextareaField
            meta={fields.grounds}
            label={t('gradingNotice.object.grounds')}
            hint={t('gradingNotice.object.groundsHint')}
            required
            rows={6}
          />
          <div>
            <label htmlFor="objection-attachment" className="label">
              {t('gradingNotice.object.attachment', { size: f.maxSize })}
            </label>
            <input
              id="objection-attachment"
              name="attachment"
              type="file"
              accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
              className="input"
              aria-invalid={attachmentErrors?.length ? true : undefined}
              aria-describedby={attachmentErrors?.length ? 'objection-attachment-error' : undefined}
            />
            {attachmentErrors?.length ? (
              <div id="objection-attachment-error" className="field-error">
                {attachmentErrors.map((e) => (
                  <p key={e}>{t.ref(e)}</p>
                ))}
              </div>
            ) : null}
          </div>
          <div className="flex flex-wrap gap-2">
            <button type="submit" className="btn-primary">
              {t('gradingNotice.object.submit')}
            </button>
            <Link to={back} className="btn-secondary">
              {t('gradingNotice.object.back')}
            </Link>
          </div>
        </Form>
      ) : (
        <p className="card">{t('gradingNotice.public.closed')}</p>
      )}
    </main>
  )
}
