// The runner's side of the HTTP conversation with the origin (docs: the runner protocol in
// README "More machines"). Plain fetch with a bearer token; a 410 means the job is no longer
// this runner's, and a refused connection is tried again for a while (the origin restarts).

const retryDelaysMs = [500, 1000, 2000, 4000, 8000]

// The origin took the job back (lost lease, cancelled, media deleted, origin restarted).
export class JobGone extends Error {
  constructor() {
    super('the origin no longer gives this job to this runner')
  }
}

// Any other answer the runner cannot go on from, with the origin's error code.
export class OriginRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    what: string,
  ) {
    super(`${what}: ${status} ${code}`)
  }
}

export type CallOptions = {
  token: string
  json?: unknown
  body?: BodyInit
  headers?: Record<string, string>
  signal?: AbortSignal
}

export async function errorCodeOf(answer: Response): Promise<string> {
  const text = await answer.text().catch(() => '')
  try {
    return (JSON.parse(text) as { code?: string }).code ?? text.slice(0, 200)
  } catch {
    return text.slice(0, 200)
  }
}

// Sends a request; 410 throws JobGone, other 4xx/5xx throw OriginRefused (2xx and 3xx come back).
export async function call(server: string, method: string, path: string, options: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, ...options.headers }
  if (options.json !== undefined) headers['content-type'] = 'application/json'
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.body
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await fetch(new URL(path, server), { method, headers, body, signal: options.signal })
      if (answer.status === 410) throw new JobGone()
      if (answer.status >= 400) throw new OriginRefused(answer.status, await errorCodeOf(answer), `${method} ${path}`)
      return answer
    } catch (error) {
      // Only a failed connection is tried again, and only for a body that can be sent twice.
      const isNetwork = error instanceof TypeError || /^ECONN/.test(String((error as { code?: string }).code))
      const isRepeatable = !(body instanceof ReadableStream)
      if (!isNetwork || !isRepeatable || attempt >= retryDelaysMs.length || options.signal?.aborted) throw error
      await Bun.sleep(retryDelaysMs[attempt])
    }
  }
}
