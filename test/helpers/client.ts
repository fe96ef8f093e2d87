// An HTTP client that behaves like a browser tab of the site (cookie jar, Origin header,
// CSRF token echoed from the `csrf` cookie), or like a script with a bearer token.
// A parsed JSON answer: tests read it by path and assert on what they find there.
// biome-ignore lint/suspicious/noExplicitAny: the wire format has no static type; each test checks the fields it reads
export type Json = any

export type Answer<T = Json> = { status: number; headers: Headers; body: T; text: string }

export type RequestOptions = {
  body?: unknown
  headers?: Record<string, string>
  // Browser behaviour knobs, for CSRF tests.
  origin?: string | null
  sendCsrf?: boolean
}

export class Client {
  readonly cookies = new Map<string, string>()
  bearer: string | null = null

  constructor(readonly baseUrl: string) {}

  static withToken(baseUrl: string, token: string): Client {
    const client = new Client(baseUrl)
    client.bearer = token
    return client
  }

  // `__Host-csrf` when the server's PublicUrl is https.
  get csrfToken(): string | undefined {
    return this.cookies.get('csrf') ?? this.cookies.get('__Host-csrf')
  }

  async request<T = Json>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.body !== undefined && !(options.body instanceof FormData) && typeof options.body !== 'string')
      headers['content-type'] ??= 'application/json'
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`
    const origin = options.origin === undefined ? new URL(this.baseUrl).origin : options.origin
    if (origin !== null && method !== 'GET' && method !== 'HEAD') headers.origin = origin
    if (options.sendCsrf !== false && this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const body =
      options.body === undefined || options.body instanceof FormData || typeof options.body === 'string'
        ? (options.body as string | FormData | undefined)
        : JSON.stringify(options.body)
    const response = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' })
    this.storeCookies(response.headers)
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {}
    return { status: response.status, headers: response.headers, body: parsed as T, text }
  }

  get<T = Json>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options)
  }
  post<T = Json>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, body })
  }
  put<T = Json>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, body })
  }
  patch<T = Json>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, body })
  }
  delete<T = Json>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options)
  }

  private storeCookies(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';')
      const [name, ...rest] = pair.split('=')
      const value = rest.join('=')
      const isExpired = attributes.some(a => /max-age=0/i.test(a)) || value === ''
      if (isExpired) this.cookies.delete(name.trim())
      else this.cookies.set(name.trim(), value)
    }
  }
}

let counter = 0
export function uniqueName(prefix = 'user'): string {
  counter += 1
  return `${prefix}${Date.now().toString(36)}${counter}`
}

// Registers a fresh account and returns a signed-in browser-like client.
export async function signUp(baseUrl: string, username = uniqueName()): Promise<Client & { userId: number }> {
  const client = new Client(baseUrl) as Client & { userId: number }
  const answer = await client.post('/api/v1/auth/register', { username, password: 'correct horse 1' })
  if (answer.status !== 201) throw new Error(`register failed: ${answer.status} ${answer.text}`)
  client.userId = answer.body.user.id
  return client
}
