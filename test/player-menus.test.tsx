// The player's words and menus as the viewer reads them: vidstack's layout speaks the page's
// language, and its quality menu names rungs by their box, as the ladder does.
import { describe, expect, test } from 'bun:test'
import { patchVidstackSource } from '../src/http/vidstack-source'
import { translator } from '../src/i18n'
import { layoutTranslations } from '../src/pages/media/player'

// vidstack's own line that labels a quality option, patched, then run on a rung.
function qualityLabel(width: number, height: number): string {
  const line = patchVidstackSource('return quality.height + "p"')
  return new Function('quality', line)({ width, height })
}

describe('quality menu', () => {
  test('names each rung by its box: a portrait phone video offers 1080p … 360p', () => {
    const portrait = [
      [1080, 1920],
      [720, 1280],
      [480, 854],
      [360, 640],
    ]
    expect(portrait.map(([w, h]) => qualityLabel(w, h))).toEqual(['1080p', '720p', '480p', '360p'])
  })

  test('a scope film offers 1080p … 360p too, not 804p … 268p', () => {
    const scope = [
      [1920, 804],
      [1280, 536],
      [854, 358],
      [640, 268],
    ]
    expect(scope.map(([w, h]) => qualityLabel(w, h))).toEqual(['1080p', '720p', '480p', '360p'])
  })

  test('the fixed style attributes of its templates become data attributes (no inline style under our CSP)', () => {
    const template = '<media-controls-group class="vds-controls-group" style="pointer-events: none;">'
    expect(patchVidstackSource(template)).toBe('<media-controls-group class="vds-controls-group" data-no-pointer-events>')
  })
})

describe('layout words', () => {
  test('every word of the layout has a message in both languages, and the menus read in Russian', () => {
    const en = layoutTranslations(translator('en'))
    const ru = layoutTranslations(translator('ru'))
    for (const [word, text] of Object.entries(ru)) expect(text).not.toBe(`player.ui_${word}`)
    expect(ru).toMatchObject({ Settings: 'Настройки', Quality: 'Качество', Audio: 'Звук', Captions: 'Субтитры', Play: 'Смотреть' })
    expect(en).toMatchObject({ Settings: 'Settings', Quality: 'Quality', Audio: 'Audio', Captions: 'Subtitles' })
  })
})
