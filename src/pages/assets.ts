// Browser files of the pages. Vendor files come from node_modules through the shared asset
// route (same origin, so the strict CSP holds and an offline home server still works).
import { registerVendorFile, vendorUrl, webUrl } from '../http/assets'

registerVendorFile('htmx.min.js', 'htmx.org', 'dist/htmx.min.js')
registerVendorFile('hls.min.js', 'hls.js', 'dist/hls.min.js')
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
  player: () => [vendorUrl('hls.min.js'), webUrl('player.js')],
  upload: () => [vendorUrl('tus.min.js'), webUrl('trim.js'), webUrl('upload.js')],
}

export function scriptUrls(extra: PageScript[]): string[] {
  const urls = [vendorUrl('htmx.min.js'), webUrl('app.js'), ...extra.flatMap(name => pageScripts[name]())]
  return [...new Set(urls)]
}

export const styleUrl = () => webUrl('app.css')

// Loaded by trim.js only when the person starts trimming (the core is ~32 MB).
export function ffmpegUrls() {
  return {
    script: vendorUrl('ffmpeg.js'),
    core: vendorUrl('ffmpeg-core.js'),
    wasm: vendorUrl('ffmpeg-core.wasm'),
  }
}
