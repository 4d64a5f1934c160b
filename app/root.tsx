import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, useRouteLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ErrorPage } from './components/error-page.tsx'
import { useNonce } from './components/nonce.tsx'
import { takeFlash } from './lib/flash.server.ts'
import { getLocale } from './lib/i18n.server.ts'
import { getFontSize } from './lib/preferences.server.ts'
import tailwind from './styles/tailwind.css?url'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: tailwind },
  { rel: 'icon', href: '/favicon.ico', sizes: '16x16' },
]

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, fontSize, { flash, setCookie }] = await Promise.all([getLocale(request), getFontSize(request), takeFlash(request)])
  const headers = new Headers()
  if (setCookie) headers.append('Set-Cookie', setCookie)
  return data({ locale, fontSize, flash }, { headers })
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>('root')
  const nonce = useNonce()
  const locale = data?.locale ?? 'zh-CN'
  const fontSize = data?.fontSize ?? 'normal'
  return (
    <html lang={locale} className={fontSize === 'normal' ? undefined : `fs-${fontSize}`}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  return <ErrorPage status={status} />
}
