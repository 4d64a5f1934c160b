/**
 * Message lookup and formatting, shared by server and browser. Catalogs live in app/locales;
 * zh-CN is the default and the reference: en must carry every key (the type checker enforces it).
 *
 * A message may carry parameters as `{name}`. Validation errors travel from the server as
 * message references, `key` or `key?param=value`, and are translated where they are shown.
 */
import type { MessageKey } from '#app/locales/zh-CN.ts'
import { catalogs } from './catalogs.ts'

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'
export type { MessageKey }
export type Catalog = Record<MessageKey, string>

export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en'
}

export function isMessageKey(value: string): value is MessageKey {
  // Every catalog carries every key (the type checker enforces it), so the loaded one decides.
  const catalog = catalogs[DEFAULT_LOCALE] ?? catalogs.en
  return catalog !== undefined && Object.hasOwn(catalog, value)
}

export type MessageParams = Record<string, string | number>

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogs[locale]?.[key] ?? catalogs[DEFAULT_LOCALE]?.[key] ?? catalogs.en?.[key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])))
}

/** Builds a message reference (`key?max=64`) for errors produced where the locale is unknown. */
export function messageRef(key: MessageKey, params?: MessageParams): string {
  if (!params) return key
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))
  return `${key}?${query.toString()}`
}

export function translateRef(locale: Locale, ref: string): string {
  const [key = '', query] = ref.split('?', 2)
  if (!isMessageKey(key)) return translate(locale, 'validation.invalid')
  const params = query ? Object.fromEntries(new URLSearchParams(query)) : undefined
  return translate(locale, key, params)
}

const CHINA_TIME = 'Asia/Shanghai'

/** 2026年11月23日 in zh-CN; 23 Nov 2026 in en. Accepts YYYY-MM-DD or an ISO instant. */
// Building an Intl formatter costs far more than formatting with one (a list page formats
// hundreds of dates per render): one formatter per locale and kind, made on first use.
const dateFormats = new Map<Locale, Intl.DateTimeFormat>()
const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>()
const numberFormats = new Map<Locale, Intl.NumberFormat>()

function dateFormat(locale: Locale): Intl.DateTimeFormat {
  let format = dateFormats.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      year: 'numeric',
      month: locale === 'zh-CN' ? 'long' : 'short',
      day: 'numeric',
      timeZone: CHINA_TIME,
    })
    dateFormats.set(locale, format)
  }
  return format
}

function dateTimeFormat(locale: Locale): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZone: CHINA_TIME,
    })
    dateTimeFormats.set(locale, format)
  }
  return format
}

export function formatDate(locale: Locale, value: string | null | undefined): string {
  if (!value) return ''
  const date = value.length === 10 ? new Date(`${value}T12:00:00+08:00`) : new Date(value)
  return dateFormat(locale).format(date)
}

export function formatDateTime(locale: Locale, value: string | null | undefined): string {
  if (!value) return ''
  return dateTimeFormat(locale).format(new Date(value))
}

export function formatNumber(locale: Locale, value: number): string {
  let format = numberFormats.get(locale)
  if (!format) {
    format = new Intl.NumberFormat(locale)
    numberFormats.set(locale, format)
  }
  return format.format(value)
}
