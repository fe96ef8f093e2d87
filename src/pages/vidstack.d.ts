// vidstack's custom elements in JSX (web/player.js defines them): the attributes we render.
import 'preact'

type VidstackAttributes = preact.HTMLAttributes<HTMLElement>

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'media-player': VidstackAttributes & {
        src?: string
        load?: 'eager' | 'idle' | 'visible' | 'play' | 'custom'
        'poster-load'?: 'eager' | 'idle' | 'visible'
        'key-target'?: 'player' | 'document'
        playsinline?: boolean
      }
      'media-provider': VidstackAttributes
      'media-poster': VidstackAttributes & { src?: string; alt?: string }
      'media-video-layout': VidstackAttributes & { 'no-audio-gain'?: boolean }
    }
  }
}
