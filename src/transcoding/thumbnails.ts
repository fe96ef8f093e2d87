// Seek-bar previews: one more branch of the ladder's decoded picture (no second decode)
// keeps one frame every few seconds, scales it to a small tile and packs the tiles into
// sprite sheets (`thumbs/spriteNNNN.jpg`); `thumbs.vtt` then says which tile shows which
// span of the film. The sheets are written into the work folder and published once ffmpeg
// has finished, the .vtt last, so nothing is ever served half-written.
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import {
  isSpriteFileName,
  publicationUri,
  spriteFileName,
  spriteFileTemplate,
  thumbnailsFolderName,
  thumbnailsVttName,
} from '../hls/layout'
import { writeFileAtomic } from '../hls/publish'
import { vttTimestamp } from '../hls/webvtt'
import type { Fence } from './jobs'

export type ThumbnailPlan = {
  // One tile every `intervalSec`: tile k shows the picture at k × intervalSec.
  intervalSec: number
  width: number
  height: number
  columns: number
  rows: number
}

const tileWidth = 160
const maxColumns = 10
const maxRows = 10
// A long film stays within a bounded number of sheets: past this many tiles the interval grows.
const maxTiles = 1000

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2))

// Every 5 s for clips up to 10 minutes, every 10 s beyond, more sparsely past ~2.8 hours;
// tiles 160 px wide with the picture's aspect ratio. Null without a picture to show.
export function planThumbnails(durationSec: number, picture: { width: number; height: number } | undefined): ThumbnailPlan | null {
  if (!picture || !(durationSec > 0) || picture.width < 2 || picture.height < 2) return null
  const intervalSec = Math.max(durationSec <= 600 ? 5 : 10, Math.ceil(durationSec / maxTiles))
  const tiles = Math.max(1, Math.ceil(durationSec / intervalSec))
  const columns = Math.min(maxColumns, tiles)
  const rows = Math.min(maxRows, Math.ceil(tiles / columns))
  const width = Math.min(tileWidth, even(picture.width))
  return { intervalSec, width, height: even((width * picture.height) / picture.width), columns, rows }
}

// The branch of the filter graph, from the decoded picture (square pixels already) to the
// sheets. Times count from the first frame, as the player's do (a source may start at
// 1.4 s, or 0.023 s); `round=up` then puts tile k at the frame at k × interval (or just
// before), so a clip of 12 s at 5 s gets tiles at 0, 5 and 10 s, and one of 2 s a tile at 0.
// The last sheet may be partly empty (black).
export function thumbnailFilter(plan: ThumbnailPlan): string {
  return [
    'setpts=PTS-STARTPTS',
    `fps=1/${plan.intervalSec}:round=up`,
    `scale=${plan.width}:${plan.height}:flags=bicubic`,
    'setsar=1',
    `tile=${plan.columns}x${plan.rows}`,
  ].join(',')
}

// The image2 output of the branch `label`: small JPEGs, one per sheet, as they are filled.
export function thumbnailOutputArgs(label: string, workDir: string): string[] {
  return [
    '-map',
    `[${label}]`,
    '-c:v',
    'mjpeg',
    '-q:v',
    '5',
    // A sheet is a picture, not a frame of a film: never duplicated or dropped for a rate.
    '-fps_mode',
    'passthrough',
    '-an',
    '-sn',
    '-dn',
    '-f',
    'image2',
    '-start_number',
    '0',
    join(workDir, thumbnailsFolderName, spriteFileTemplate),
  ]
}

// A tile exists for every interval that a frame starts in, the last frame starting one
// frame's length before the end: a film of exactly 10 s at 5 s has tiles at 0 and 5 s only.
const lastFrameSlackSec = 0.1

// One cue per tile from 0 to `durationSec`, each pointing at its sheet and place in it.
// Only the tiles of the `sheets` sheets ffmpeg wrote are named; the last cue runs to the end.
// A sheet is named by the URI of `publication` (hls/layout.ts, publicationUri): served
// `immutable`, it may be another picture than an earlier publication's under the same name.
export function renderThumbnailsVtt(
  plan: ThumbnailPlan,
  published: { durationSec: number; sheets: number; publication: number },
): string {
  const { durationSec, sheets, publication } = published
  const perSheet = plan.columns * plan.rows
  const tiles = Math.min(Math.max(1, Math.ceil((durationSec - lastFrameSlackSec) / plan.intervalSec)), sheets * perSheet)
  const lines = ['WEBVTT', '']
  for (let k = 0; k < tiles; k++) {
    const start = k * plan.intervalSec
    const end = k === tiles - 1 ? Math.max(durationSec, start + 0.001) : (k + 1) * plan.intervalSec
    const place = k % perSheet
    const x = (place % plan.columns) * plan.width
    const y = Math.floor(place / plan.columns) * plan.height
    const sheet = publicationUri(spriteFileName(Math.floor(k / perSheet)), publication)
    lines.push(
      `${vttTimestamp(start)} --> ${vttTimestamp(end)}`,
      `${thumbnailsFolderName}/${sheet}#xywh=${x},${y},${plan.width},${plan.height}`,
      '',
    )
  }
  return lines.join('\n')
}

// Moves the sheets ffmpeg wrote into `<folder>/thumbs/`, then writes `thumbs.vtt`: once the
// .vtt is there, every sheet it names is complete. Returns the number of sheets. Each step
// waits for `fence` (the lease still held).
export async function publishThumbnails(options: {
  folder: string
  workDir: string
  plan: ThumbnailPlan
  durationSec: number
  publication: number
  fence: Fence
}) {
  const { folder, workDir, plan, fence } = options
  const sheets = (await readdir(join(workDir, thumbnailsFolderName)).catch(() => [] as string[])).filter(isSpriteFileName).sort()
  if (sheets.length === 0) return 0
  await fence()
  // Not recursive: a media folder deleted meanwhile must stay deleted (ENOENT here).
  await rm(join(folder, thumbnailsFolderName), { recursive: true, force: true })
  await mkdir(join(folder, thumbnailsFolderName))
  for (const sheet of sheets) {
    await fence()
    await rename(join(workDir, thumbnailsFolderName, sheet), join(folder, thumbnailsFolderName, sheet))
  }
  const { durationSec, publication } = options
  const vtt = renderThumbnailsVtt(plan, { durationSec, sheets: sheets.length, publication })
  await fence()
  await writeFileAtomic(join(folder, thumbnailsVttName), vtt, workDir)
  return sheets.length
}
