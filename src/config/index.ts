// config/: server.ini and admins.txt, read and checked at start-up; IP addresses and ranges.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { type Config, ConfigError, parseConfig } from './ini'

export { type Config, ConfigError, type CorsOrigins, type DatabaseConfig, defaultTranscodeLimits, type TranscodeLimits } from './ini'
export { type BrowsingMode, type RegistrationMode, registrationModes } from './ini'
export { type TranscoderMode, type WasmLadderStep, defaultWasmLadder } from './ini'
export { type Admins, readAdmins, parseAdmins } from './admins'

// MOVIEPOINT_CONFIG names another ini file, so several instances (and the tests) run side by side.
export function configFilePath(): string {
  return resolve(process.env.MOVIEPOINT_CONFIG || 'server.ini')
}

export function loadConfig(file = configFilePath()): Config {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError('(file)', `${file} cannot be read (${(error as NodeJS.ErrnoException).code})`)
  }
  return parseConfig(text, file)
}

// For entry points (server, worker): a bad configuration ends the process with the one
// line that names the key, never a stack trace.
export function loadConfigOrExit(): Config {
  try {
    return loadConfig()
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(error.message)
    process.exit(1)
  }
}
