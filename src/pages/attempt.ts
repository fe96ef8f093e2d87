import { AppError } from '../http/errors'

// A service call whose refusal (an AppError: taken name, bad input…) the page shows next
// to the form instead of failing the request. Anything else is a real failure: rethrown.
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: AppError }

export async function attempt<T>(run: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { ok: false, error }
    throw error
  }
}
