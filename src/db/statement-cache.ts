// Prepared statements kept per connection of an embedded database.
//
// @libsql/client prepares every statement again on each execute, and asks the statement
// for its columns twice: on a catalogue search that is about a fifth of the server's CPU
// (bench/api.ts, CPU profile). SQLite statements are meant to be reused, so `prepare` of
// the driver underneath (the `libsql` package) answers from a small per-connection cache.
// Reuse is safe: the driver is synchronous, so a statement is never in use twice at once,
// and each run resets and rebinds it; SQLite re-prepares it by itself after a schema change.
// Yet the client reads a statement's columns before running it, and a kept statement names
// the columns as they were before the change (`SELECT *` after an ALTER TABLE): so any
// CREATE, ALTER or DROP prepared in this process forgets every kept statement. (Migrations
// run before the server opens its connections; no other process changes the schema under it.)
import Database from 'libsql'

type Statement = { columns: () => unknown[] }
type Connection = { prepare: (sql: string) => Statement; close: () => void }

// Distinct SQL texts are few (drizzle writes parameters as `?`); an IN list of n ids is
// one text per n, so a few hundred covers every page size.
const maxStatementsPerConnection = 256

type Cache = { statements: Map<string, Statement>; schemaChanges: number }
const caches = new WeakMap<Connection, Cache>()
let schemaChanges = 0
const isSchemaChange = (sql: string) => /^\s*(CREATE|ALTER|DROP)\b/i.test(sql)

// Map order is insertion order: the most recently used statement goes last, the least
// recently used is dropped first.
function use(cache: Map<string, Statement>, sql: string, statement: Statement): Statement {
  cache.delete(sql)
  cache.set(sql, statement)
  if (cache.size > maxStatementsPerConnection) cache.delete(cache.keys().next().value as string)
  return statement
}

// Columns of a statement never change while it lives (a schema change forgets it).
function withRememberedColumns(statement: Statement): Statement {
  const columnsOf = statement.columns.bind(statement)
  let columns: unknown[] | null = null
  statement.columns = () => (columns ??= columnsOf())
  return statement
}

let isInstalled = false

export function cachePreparedStatements() {
  if (isInstalled) return
  isInstalled = true
  const prototype = Database.prototype as unknown as Connection
  const prepare = prototype.prepare
  const close = prototype.close
  prototype.prepare = function (this: Connection, sql: string) {
    if (isSchemaChange(sql)) schemaChanges += 1
    let cache = caches.get(this)
    if (!cache || cache.schemaChanges !== schemaChanges) {
      cache = { statements: new Map(), schemaChanges }
      caches.set(this, cache)
    }
    const { statements } = cache
    return use(statements, sql, statements.get(sql) ?? withRememberedColumns(prepare.call(this, sql)))
  }
  prototype.close = function (this: Connection) {
    caches.delete(this)
    return close.call(this)
  }
}
