import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'

// Placeholder: routes of this feature land here.
export function pageRoutes(_deps: AppDeps) {
  return new Elysia()
}
