import { Elysia } from 'elysia'
import type { AppDeps } from '../../deps'

// Placeholder: routes of this feature land here.
export function subtitleRoutes(_deps: AppDeps) {
  return new Elysia()
}
