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

// A refusal shown next to the form: the field it is about and its message. A 403 or 404
// is no matter of the form: the error page says it.
export function formErrorsOf(error: AppError, fieldOf: (code: string) => string): Record<string, string> {
  if (error.status === 403 || error.status === 404) throw error
  return { [fieldOf(error.code)]: `error.${error.code}` }
}
