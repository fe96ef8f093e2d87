// A promise raced against a timer: its value, or 'timeout' when `ms` pass first. The timer
// is cleared either way, so a settled race leaves nothing behind.
export async function within<T>(pending: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: Timer | undefined
  const timeout = new Promise<'timeout'>(resolve => (timer = setTimeout(resolve, Math.max(0, ms), 'timeout')))
  try {
    return await Promise.race([pending, timeout])
  } finally {
    clearTimeout(timer)
  }
}
