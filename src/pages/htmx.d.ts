// htmx attributes in JSX: typed, so a misspelt or mistyped one fails the type check.
import 'preact'

declare module 'preact' {
  interface HTMLAttributes<RefType extends EventTarget = EventTarget> {
    'hx-get'?: string
    'hx-post'?: string
    'hx-target'?: string
    'hx-swap'?: string
    'hx-trigger'?: string
    'hx-push-url'?: 'true' | 'false' | string
    'hx-select'?: string
    'hx-include'?: string
    'hx-indicator'?: string
    'hx-sync'?: string
    'hx-disabled-elt'?: string
    'hx-confirm'?: string
    'hx-params'?: string
  }
}
