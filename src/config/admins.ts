// admins.txt: one user id per line; blank lines and `#` comments allowed; CRLF tolerated.
// A missing file means no admins; a malformed line is reported and ignored.
import { existsSync, readFileSync } from 'node:fs'

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

export function readAdmins(file: string): Admins {
  if (!existsSync(file)) return { ids: new Set(), warnings: [] }
  return parseAdmins(readFileSync(file, 'utf8'), file)
}
