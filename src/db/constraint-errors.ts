// Which constraint a failed statement broke, read from libSQL's error codes (never from the
// wording of the message, which is SQLite's and may change). drizzle wraps the driver's error,
// so the whole `cause` chain is searched.

export type Constraint = 'unique' | 'foreign_key'

const extendedCodes: Record<string, Constraint> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
}

// A libSQL server (http, ws) sends only the base code SQLITE_CONSTRAINT for now (the client's
// mapHranaError: "TODO: Parse extendedCode"); there SQLite's fixed message names the constraint.
const remoteMessages: [RegExp, Constraint][] = [
  [/\bUNIQUE constraint failed\b/, 'unique'],
  [/\bFOREIGN KEY constraint failed\b/, 'foreign_key'],
]

type DriverError = Error & { code?: unknown; extendedCode?: unknown }

export function brokenConstraint(error: unknown): Constraint | null {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const { code, extendedCode, message } = cause as DriverError
    if (typeof extendedCode === 'string' && extendedCode in extendedCodes) return extendedCodes[extendedCode]
    if (extendedCode === undefined && code === 'SQLITE_CONSTRAINT')
      for (const [pattern, constraint] of remoteMessages) if (pattern.test(message)) return constraint
  }
  return null
}

// Two writers raced for one unique value (a season or episode number): the loser gets a 409.
export const isUniqueViolation = (error: unknown): boolean => brokenConstraint(error) === 'unique'

// A row that vanished between a check and a write (a title deleted while someone rated it).
export const isForeignKeyViolation = (error: unknown): boolean => brokenConstraint(error) === 'foreign_key'
