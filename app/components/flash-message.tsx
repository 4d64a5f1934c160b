import { useRouteLoaderData } from '@remix-run/react'
import type { Flash } from '#app/lib/flash.server.ts'
import { useT } from './i18n.tsx'

const STYLES: Record<Flash['kind'], string> = {
  success: 'border-green-700 bg-green-50 text-green-900',
  info: 'border-accent-600 bg-accent-50 text-accent-800',
  error: 'border-red-700 bg-red-50 text-red-900',
}

/** The one-time message carried over a redirect; announced to screen readers. */
export function FlashMessage() {
  const t = useT()
  const data = useRouteLoaderData('root') as { flash: Flash | null } | undefined
  const flash = data?.flash
  if (!flash) return null
  return (
    <div role={flash.kind === 'error' ? 'alert' : 'status'} className={`mb-4 rounded-md border-l-4 px-4 py-3 ${STYLES[flash.kind]}`}>
      {t(flash.message, flash.params)}
    </div>
  )
}
