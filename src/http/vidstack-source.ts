// Changes to vidstack's source as the player bundle is built (src/http/assets.ts):
// - its templates carry two fixed style attributes, which our CSP (no 'unsafe-inline')
//   refuses: each becomes a data attribute that web/app.css styles the same way;
// - its quality menu names a rung by its height ("1920p" for a portrait phone video, "804p"
//   for a scope film): it names it by its box instead, as our ladder does (hls-layout.md):
//   1080p for 1920×804 and for 1080×1920.
import type { BunPlugin } from 'bun'

// The smaller box side of a 16:9 box (landscape or portrait) that holds the picture.
const boxName = (q: string) => `Math.max(Math.min(${q}.width, ${q}.height), Math.round(Math.max(${q}.width, ${q}.height) * 9 / 16))`

const swaps: [string, string][] = [
  ['style="pointer-events: none;"', 'data-no-pointer-events'],
  ['style="max-width: unset;"', 'data-unset-max-width'],
  ['quality.height + "p"', `${boxName('quality')} + "p"`],
  ['quality().height + "p"', `${boxName('quality()')} + "p"`],
]

export function patchVidstackSource(text: string): string {
  return swaps.reduce((patched, [from, to]) => patched.replaceAll(from, to), text)
}

export const vidstackSourcePlugin: BunPlugin = {
  name: 'vidstack-source',
  setup(build) {
    build.onLoad({ filter: /node_modules\/vidstack\/.*\.js$/ }, async ({ path }) => ({
      contents: patchVidstackSource(await Bun.file(path).text()),
      loader: 'js',
    }))
  },
}
