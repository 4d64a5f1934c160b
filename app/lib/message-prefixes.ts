/**
 * The first two segments of every catalog key (`experts.nav`, `experts.tier`…), injected
 * by vite.config.ts (vite-plugins/client-messages.ts). The browser loads this module only when
 * dotted text it has no message for might be a key (lib/catalogs.client.ts), to tell a key from
 * other data such as a setting id (`experts.ageLimit`) or an audit action (`auth.sign_in`).
 */
declare const __MESSAGE_PREFIXES__: Record<string, string>

const prefixes = new Set(
  Object.entries(__MESSAGE_PREFIXES__).flatMap(([first, seconds]) => seconds.split(' ').map((second) => `${first}.${second}`)),
)

export function mayBeMessageKey(value: string): boolean {
  const [first, second] = value.split('.', 2)
  return prefixes.has(`${first}.${second}`)
}
