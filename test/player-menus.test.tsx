// The player's menus, rendered from the media row: what a viewer reads in them.
import { describe, expect, test } from 'bun:test'
import { renderToString } from 'preact-render-to-string'
import { translator } from '../src/i18n'
import type { MediaJson } from '../src/media/json'
import type { PageContext } from '../src/pages/context'
import { Player } from '../src/pages/media/player'

const ctx = { locale: 'en', t: translator('en'), user: null, url: new URL('http://localhost/') } as PageContext

function menuOptions(menu: string, fields: Partial<MediaJson>): string[] {
  const base = { id: 1, audio: [], subtitles: [], renditions: [], durationSec: 10, masterUrl: '/media/1/master.m3u8' }
  const media = { ...base, ...fields } as MediaJson
  const html = renderToString(<Player ctx={ctx} media={media} name="Film" positionSec={null} />)
  const select = new RegExp(`<select id="${menu}-1"[^>]*>(.*?)</select>`, 's').exec(html)?.[1] ?? ''
  return [...select.matchAll(/<option value="([^"]*)">([^<]*)<\/option>/g)].map(([, value, label]) => `${value}=${label}`)
}

const qualityOptions = (renditions: MediaJson['renditions']) => menuOptions('quality', { renditions })

describe('quality menu', () => {
  test('names each rung by its box: a portrait phone video offers 1080p … 360p, chosen by height', () => {
    const portrait = [
      { name: '1080p', width: 1080, height: 1920, bandwidth: 1 },
      { name: '720p', width: 720, height: 1280, bandwidth: 1 },
      { name: '480p', width: 480, height: 854, bandwidth: 1 },
      { name: '360p', width: 360, height: 640, bandwidth: 1 },
    ]
    expect(qualityOptions(portrait)).toEqual(['auto=Auto', '1920=1080p', '1280=720p', '854=480p', '640=360p'])
  })

  test('a scope film offers 1080p … 360p too, not 804p … 268p', () => {
    const scope = [
      { name: '1080p', width: 1920, height: 804, bandwidth: 1 },
      { name: '720p', width: 1280, height: 536, bandwidth: 1 },
      { name: '480p', width: 854, height: 358, bandwidth: 1 },
      { name: '360p', width: 640, height: 268, bandwidth: 1 },
    ]
    expect(qualityOptions(scope)).toEqual(['auto=Auto', '804=1080p', '536=720p', '358=480p', '268=360p'])
  })
})

describe('audio menu', () => {
  test('offers the stereo and the 5.1 rendition of one language as two choices', () => {
    const audio = [
      { lang: 'en', name: 'English', key: 'en' },
      { lang: 'en', name: 'English 5.1', key: 'en-51', channels: 6 },
      { lang: 'ru', name: 'Русский', key: 'ru' },
    ]
    expect(menuOptions('audio', { audio })).toEqual(['en=English', 'en-51=English 5.1', 'ru=Русский'])
  })
})
