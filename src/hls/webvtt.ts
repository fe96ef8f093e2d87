// Subtitles as served: WebVTT rebuilt cue by cue from a parsed file (media-captions parses
// SRT and WebVTT the way browsers do), with cue text reduced to WebVTT's harmless markup.
// A cue is text a browser renders: `<script>` or `<img onerror>` from an uploaded file must
// reach the viewer as visible characters, never as markup.
import { parseText, type VTTCue } from 'media-captions'
import { mpegtsOriginPts } from './playlists'

export type SubtitleFormat = 'srt' | 'vtt'

export class InvalidSubtitles extends Error {
  readonly name = 'InvalidSubtitles'
}

// Tags WebVTT defines for cue text; all are kept without classes or attributes.
const plainTags = new Set(['b', 'i', 'u', 'c', 'ruby', 'rt'])
// SRT's colour markup has no WebVTT equivalent: dropped, its text kept.
const droppedTags = new Set(['font'])
const knownEntity = /^&(amp|lt|gt|nbsp|lrm|rlm);/

function escapeText(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === '<') out += '&lt;'
    else if (char === '>') out += '&gt;'
    else if (char === '&') out += knownEntity.test(text.slice(i, i + 6)) ? '&' : '&amp;'
    else out += char
  }
  return out
}

// `<v Bob>`, `<lang en-US>`: the annotation is plain text, kept escaped.
function annotatedTag(name: string, annotation: string): string | null {
  const text = annotation.trim()
  if (name === 'v' && text) return `<v ${escapeText(text)}>`
  if (name === 'lang' && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(text)) return `<lang ${text}>`
  return null
}

// One `<…>` of cue text → the markup to keep, '' to drop, or null to show it as text.
function safeTag(tag: string): string | null {
  const closing = /^<\/([A-Za-z]+)\s*>$/.exec(tag)
  if (closing) {
    const name = closing[1].toLowerCase()
    if (plainTags.has(name) || name === 'v' || name === 'lang') return `</${name}>`
    return droppedTags.has(name) ? '' : null
  }
  if (/^<\d{1,2}(:\d{2}){1,2}\.\d{3}>$/.test(tag)) return tag
  const opening = /^<([A-Za-z]+)((?:\.[\w-]+)*)([ \t][^<>]*)?>$/.exec(tag)
  if (!opening) return null
  const name = opening[1].toLowerCase()
  if (plainTags.has(name)) return `<${name}>`
  if (name === 'v' || name === 'lang') return annotatedTag(name, opening[3] ?? '')
  return droppedTags.has(name) ? '' : null
}

export function sanitizeCueText(text: string): string {
  const parts = text.split(/(<[^<>]*>)/)
  const isTag = (part: string) => part.startsWith('<') && part.endsWith('>')
  const safe = parts.map(part => (isTag(part) ? (safeTag(part) ?? escapeText(part)) : escapeText(part)))
  // A blank line would end the cue early; "-->" is already escaped as "--&gt;".
  return safe
    .join('')
    .split(/\r?\n/)
    .map(line => line.trimEnd())
    .filter(line => line !== '')
    .join('\n')
}

// hh:mm:ss.ttt, as a WebVTT cue time.
export function vttTimestamp(seconds: number): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000))
  const hours = Math.floor(totalMs / 3_600_000)
  const minutes = Math.floor(totalMs / 60_000) % 60
  const secs = Math.floor(totalMs / 1000) % 60
  const pad = (value: number, width = 2) => String(value).padStart(width, '0')
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}.${pad(totalMs % 1000, 3)}`
}

const isPercent = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 100

// Positioning survives (numbers and keywords the parser validated), nothing else.
function cueSettings(cue: VTTCue): string {
  const settings: string[] = []
  if (cue.vertical === 'rl' || cue.vertical === 'lr') settings.push(`vertical:${cue.vertical}`)
  if (typeof cue.line === 'number' && Number.isFinite(cue.line))
    settings.push(cue.snapToLines ? `line:${Math.round(cue.line)}` : isPercent(cue.line) ? `line:${cue.line}%` : '')
  if (isPercent(cue.position)) settings.push(`position:${cue.position}%`)
  if (isPercent(cue.size) && cue.size !== 100) settings.push(`size:${cue.size}%`)
  if (['start', 'end', 'left', 'right'].includes(cue.align)) settings.push(`align:${cue.align}`)
  const text = settings.filter(Boolean).join(' ')
  return text ? ` ${text}` : ''
}

function renderCue(cue: VTTCue): string | null {
  const text = sanitizeCueText(cue.text)
  if (!text || !(cue.endTime > cue.startTime)) return null
  return `${vttTimestamp(cue.startTime)} --> ${vttTimestamp(cue.endTime)}${cueSettings(cue)}\n${text}`
}

export function renderWebVtt(cues: VTTCue[]): string {
  const blocks = cues.map(renderCue).filter((block): block is string => block !== null)
  // Cue times count from the start of the video, which sits at this PTS in the segments.
  const header = `WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:${mpegtsOriginPts},LOCAL:00:00:00.000`
  return `${[header, ...blocks].join('\n\n')}\n`
}

// Parses SRT or WebVTT text and returns safe WebVTT; InvalidSubtitles when no cue is usable.
export async function toSafeWebVtt(text: string, format: SubtitleFormat): Promise<{ vtt: string; cueCount: number }> {
  const { cues } = await parseText(text.replace(/^\uFEFF/, ''), { type: format, strict: false })
  const vtt = renderWebVtt(cues)
  const cueCount = vtt.split('\n\n').length - 1
  if (cueCount === 0) throw new InvalidSubtitles(`The file has no ${format === 'srt' ? 'SRT' : 'WebVTT'} cues`)
  return { vtt, cueCount }
}
