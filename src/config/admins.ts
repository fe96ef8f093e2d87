// admins.txt: one user id per line; blank lines and `#` comments allowed; CRLF tolerated.
// A missing file means no admins (said in one line at start-up); a malformed line is
// reported and ignored; a file that cannot be read (a folder, no permission) stops start-up
// with one line naming the key, as a bad server.ini value does.
import { readFileSync } from 'node:fs'
import { ConfigError } from './ini'

export type Admins = { ids: ReadonlySet<number>; warnings: string[] }

export function parseAdmins(text: string, file: string): Admins {
  const ids = new Set<number>()
  const warnings: string[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    const content = line.replace(/#.*$/, '').trim()
    if (content === '') return
    const id = Number(content)
    if (/^\d+$/.test(content) && Number.isSafeInteger(id) && id > 0) ids.add(id)
    else warnings.push(`${file}:${index + 1}: "${content}" is not a user id, ignored`)
  })
  return { ids, warnings }
}

const readProblems: Record<string, string> = {
  EISDIR: 'is a folder, not a file of user ids',
  EACCES: 'cannot be read (permission denied)',
}

export function readAdmins(file: string): Admins {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error'
    if (code === 'ENOENT') return { ids: new Set(), warnings: [`${file} does not exist: there are no admins`] }
    throw new ConfigError('AdminsFile', `${file} ${readProblems[code] ?? `cannot be read (${code})`}`)
  }
  return parseAdmins(text, file)
}
