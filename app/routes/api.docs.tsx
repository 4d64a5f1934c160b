import type { HeadersFunction, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { pageTitle } from '#app/lib/meta.ts'
import { openApiDocument } from '#app/modules/api/openapi.ts'
import { type OpenApiLike, type ReferenceField, referenceOf } from '#app/modules/api/reference.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'api.docs.title')

// The same for everyone (no personal data): a proxy may cache it briefly.
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'public, max-age=300' })

/** The readable reference of /api/v1, rendered from the published OpenAPI document (public). */
export async function loader() {
  const doc = openApiDocument() as unknown as OpenApiLike
  return { info: doc.info, ...referenceOf(doc) }
}

function FieldTable({ fields, caption }: { fields: ReferenceField[]; caption: string }) {
  const t = useT()
  if (!fields.length) return null
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100 text-slate-700">
          <tr>
            <th className="px-2 py-1">{t('api.docs.field')}</th>
            <th className="px-2 py-1">{t('api.docs.type')}</th>
            <th className="px-2 py-1">{t('api.docs.required')}</th>
            <th className="px-2 py-1">{t('api.docs.description')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.name} className="border-t border-slate-200 align-top">
              <td className="px-2 py-1">
                <code className="font-mono">{f.name}</code>
              </td>
              <td className="break-words px-2 py-1">
                <code className="font-mono text-xs">{f.type}</code>
              </td>
              <td className="px-2 py-1">{f.required ? t('common.yes') : ''}</td>
              <td className="px-2 py-1">{f.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export default function ApiReferencePage() {
  const t = useT()
  const { info, operations, schemas } = useLoaderData<typeof loader>()
  return (
    <main className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="mb-2 text-2xl">{t('api.docs.title')}</h1>
      <p className="mb-2 text-slate-700">{t('api.docs.intro')}</p>
      <p className="mb-6 text-sm text-slate-600" lang="en">
        {info.title} {info.version}. {info.description}{' '}
        <a href="/api/v1/openapi.json" data-testid="openapi-link">
          {t('api.docs.download')}
        </a>
      </p>
      <section className="card mb-6" aria-labelledby="auth-heading">
        <h2 id="auth-heading" className="mb-2 text-lg">
          {t('api.docs.auth')}
        </h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>{t('api.docs.authToken')}</li>
          <li>{t('api.docs.authSecret')}</li>
          <li>{t('api.docs.conventions')}</li>
        </ul>
      </section>
      <nav aria-labelledby="ops-heading" className="mb-6">
        <h2 id="ops-heading" className="mb-2 text-lg">
          {t('api.docs.operations')}
        </h2>
        <ul className="space-y-1">
          {operations.map((op) => (
            <li key={op.id}>
              <a href={`#${op.id}`}>
                <code className="font-mono">
                  {op.method} {op.path}
                </code>
              </a>{' '}
              <span lang="en">{op.summary}</span>
            </li>
          ))}
        </ul>
      </nav>
      {operations.map((op) => (
        <section key={op.id} id={op.id} className="card mb-6 space-y-3" aria-labelledby={`${op.id}-heading`} data-testid="api-operation">
          <h3 id={`${op.id}-heading`} className="break-all text-lg">
            <code className="font-mono">
              {op.method} {op.path}
            </code>
          </h3>
          <p lang="en">{op.summary}</p>
          {op.description ? (
            <p className="text-slate-700" lang="en">
              {op.description}
            </p>
          ) : null}
          <p className="text-sm">
            {t('api.docs.scopes')}:{' '}
            {op.scopes.length
              ? op.scopes.map((s) => (
                  <code key={s} className="mr-2 font-mono">
                    {s}
                  </code>
                ))
              : t('api.docs.noAuth')}
          </p>
          {op.parameters.length ? (
            <div lang="en">
              <h4 className="font-semibold">{t('api.docs.parameters')}</h4>
              <FieldTable fields={op.parameters} caption={t('api.docs.parameters')} />
            </div>
          ) : null}
          {op.body ? (
            <p className="text-sm">
              {t('api.docs.body')}: <code className="font-mono">{op.body.contentType}</code> →{' '}
              <a href={`#schema-${op.body.type}`}>
                <code className="font-mono">{op.body.type}</code>
              </a>
            </p>
          ) : null}
          <div>
            <h4 className="font-semibold">{t('api.docs.responses')}</h4>
            <ul className="space-y-1 text-sm" lang="en">
              {op.responses.map((r) => (
                <li key={r.status}>
                  <code className="font-mono">{r.status}</code> {r.description}
                  {r.type ? (
                    <>
                      {' → '}
                      <code className="font-mono">{r.type}</code>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        </section>
      ))}
      <h2 className="mb-2 text-lg">{t('api.docs.schemas')}</h2>
      {schemas.map((s) => (
        <section key={s.name} id={`schema-${s.name}`} className="card mb-4" aria-labelledby={`schema-${s.name}-heading`} lang="en">
          <h3 id={`schema-${s.name}-heading`} className="mb-2 font-mono text-base">
            {s.name}
          </h3>
          {s.description ? <p className="mb-2 text-slate-700">{s.description}</p> : null}
          <FieldTable fields={s.fields} caption={s.name} />
        </section>
      ))}
    </main>
  )
}
