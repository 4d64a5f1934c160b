import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { safeRedirectPath } from '#app/lib/http.server.ts'
import { isLocale } from '#app/lib/i18n.ts'
import { localeCookie } from '#app/lib/i18n.server.ts'
import { FONT_SIZES, fontSizeCookie, type FontSize } from '#app/lib/preferences.server.ts'

export async function loader() {
  return redirect('/')
}

/** Language and text size, posted from the header; remembered in cookies. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData()
  const headers = new Headers()
  const locale = form.get('locale')
  if (isLocale(locale)) headers.append('Set-Cookie', await localeCookie.serialize(locale))
  const fontSize = form.get('fontSize')
  if (FONT_SIZES.includes(fontSize as FontSize)) headers.append('Set-Cookie', await fontSizeCookie.serialize(fontSize))
  return redirect(safeRedirectPath(form.get('redirectTo')), { headers })
}
