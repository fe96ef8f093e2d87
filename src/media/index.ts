import { Elysia } from 'elysia'
import type { AppDeps } from '../deps'

// Placeholder: routes of this feature land here.
export function mediaRoutes(_deps: AppDeps) {
  return new Elysia()
}
