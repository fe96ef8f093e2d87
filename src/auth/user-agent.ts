// A User-Agent header as people read it in the list of their sessions: "Firefox on
// Windows". Only a handful of well-known names are recognised, in the order that matters
// (Edge and Opera also say "Chrome", Chrome also says "Safari", Android also says "Linux");
// anything else is left to the raw string, which the page shows as a tooltip.
export type Device = { browser: string | null; os: string | null }

const browsers: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChromium\//, 'Chromium'],
  [/\b(Headless)?Chrome\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/^curl\//, 'curl'],
]

const systems: [RegExp, string][] = [
  [/\bWindows\b/, 'Windows'],
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
]

function firstMatch(text: string, names: [RegExp, string][]): string | null {
  return names.find(([pattern]) => pattern.test(text))?.[1] ?? null
}

export function describeUserAgent(userAgent: string | null): Device {
  if (!userAgent) return { browser: null, os: null }
  return { browser: firstMatch(userAgent, browsers), os: firstMatch(userAgent, systems) }
}
