// Browser files of the pages. Vendor files come from node_modules through the shared asset
// route (same origin, so the strict CSP holds and an offline home server still works).
import { bundleUrl, registerBundle, registerVendorFile, vendorUrl, webUrl } from '../http/assets'

registerVendorFile('htmx.min.js', 'htmx.org', 'dist/htmx.min.js')
// The player: web/player.js bundled with vidstack and hls.js (see README, dependencies), and
// vidstack's stylesheets for its default video layout.
registerBundle('player.js', ['vidstack', 'hls.js'])
registerVendorFile('vidstack-theme.css', 'vidstack', 'player/styles/default/theme.css')
registerVendorFile('vidstack-video.css', 'vidstack', 'player/styles/default/layouts/video.css')
registerVendorFile('tus.min.js', 'tus-js-client', 'dist/tus.min.js')
// ffmpeg.wasm, single-thread core (no SharedArrayBuffer, so no cross-origin isolation
// needed). ffmpeg.js starts its worker from 814.ffmpeg.js next to itself.
registerVendorFile('ffmpeg.js', '@ffmpeg/ffmpeg', 'dist/umd/ffmpeg.js')
registerVendorFile('814.ffmpeg.js', '@ffmpeg/ffmpeg', 'dist/umd/814.ffmpeg.js')
registerVendorFile('ffmpeg-core.js', '@ffmpeg/core', 'dist/umd/ffmpeg-core.js')
registerVendorFile('ffmpeg-core.wasm', '@ffmpeg/core', 'dist/umd/ffmpeg-core.wasm')

// Extra scripts a page asks for, on top of htmx and app.js which every page loads.
export type PageScript = 'player' | 'upload'

const pageScripts: Record<PageScript, () => string[]> = {
  player: () => [bundleUrl('player.js')],
  upload: () => [vendorUrl('tus.min.js'), webUrl('trim.js'), webUrl('upload.js')],
}

export function scriptUrls(extra: PageScript[]): string[] {
  const urls = [vendorUrl('htmx.min.js'), webUrl('app.js'), ...extra.flatMap(name => pageScripts[name]())]
  return [...new Set(urls)]
}

// Stylesheets a page's scripts need, before app.css so that ours can adjust theirs.
const pageStyles: Partial<Record<PageScript, () => string[]>> = {
  player: () => [vendorUrl('vidstack-theme.css'), vendorUrl('vidstack-video.css')],
}

export function styleUrls(extra: PageScript[]): string[] {
  return [...extra.flatMap(name => pageStyles[name]?.() ?? []), webUrl('app.css')]
}

// Loaded by trim.js only when the person starts trimming (the core is ~32 MB).
export function ffmpegUrls() {
  return {
    script: vendorUrl('ffmpeg.js'),
    core: vendorUrl('ffmpeg-core.js'),
    wasm: vendorUrl('ffmpeg-core.wasm'),
  }
}
