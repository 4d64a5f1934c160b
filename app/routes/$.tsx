import { ErrorPage } from '#app/components/error-page.tsx'

// Any path no other route claims: a real 404 status with the localised page.
export async function loader() {
  throw new Response('Not Found', { status: 404 })
}

export default function NotFound() {
  return <ErrorPage status={404} />
}

export function ErrorBoundary() {
  return <ErrorPage status={404} />
}
