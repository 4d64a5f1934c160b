/**
 * A short, readable name for the browser of a session ("Chrome · Windows"), so people can tell
 * their devices apart in the session list. Deliberately rough: it only has to be recognisable.
 */
const BROWSERS: [RegExp, string][] = [
  [/MicroMessenger\//, 'WeChat'],
  [/DingTalk\//, 'DingTalk'],
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/QQBrowser\//, 'QQ Browser'],
  [/UCBrowser\//, 'UC Browser'],
  [/(Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/(Firefox|FxiOS)\//, 'Firefox'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
]

const SYSTEMS: [RegExp, string][] = [
  [/HarmonyOS|OpenHarmony/, 'HarmonyOS'],
  [/Android/, 'Android'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
]

/** `Chrome · Windows`, or null when the header says nothing recognisable (the page shows "unknown"). */
export function describeUserAgent(userAgent: string | null): string | null {
  if (!userAgent) return null
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1]
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1]
  const parts = [browser, system].filter(Boolean)
  return parts.length ? parts.join(' · ') : null
}
