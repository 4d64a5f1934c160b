import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet, isRouteErrorResponse, useLoaderData, useRouteError, useRouteLoaderData } from '@remix-run/react'
import { AppShell } from '#app/components/app-shell.tsx'
import { ErrorPage } from '#app/components/error-page.tsx'
import { requireUser } from '#app/modules/auth/authz.server.ts'
import { navigationFor } from '#app/modules/auth/navigation.ts'

/** The signed-in area: every page under it renders inside the shell. Each page still checks access itself. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  return {
    user: { displayName: user.displayName, username: user.username, roles: [...new Set(user.grants.map((g) => g.role))] },
    nav: navigationFor(user),
  }
}

export default function SignedInLayout() {
  const { user, nav } = useLoaderData<typeof loader>()
  return (
    <AppShell user={user} nav={nav}>
      <Outlet />
    </AppShell>
  )
}

export function ErrorBoundary() {
  const error = useRouteError()
  const data = useRouteLoaderData<typeof loader>('routes/_app')
  const status = isRouteErrorResponse(error) ? error.status : 500
  if (!data) return <ErrorPage status={status} />
  return (
    <AppShell user={data.user} nav={data.nav}>
      <ErrorPage status={status} />
    </AppShell>
  )
}
