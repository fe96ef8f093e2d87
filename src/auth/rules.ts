// The account rules, declared once: the API's `t` schemas (auth/model.ts, account-model.ts),
// the account service (usernames.ts), the page forms and their HTML attributes and messages
// (src/pages) are all built from these values.

// A new username: letters of any script, digits, _ . -; counted without invisible characters.
export const usernameRule = {
  minLength: 3,
  maxLength: 32,
  // One character class, so that it serves as a JavaScript RegExp and as an HTML `pattern`
  // (which browsers compile with the `v` flag: hence `\-`, valid in both).
  pattern: '[\\p{L}\\p{N}_.\\-]+',
} as const

// The name typed to sign in: anything up to a bound (the account is found by its key).
export const signInUsernameRule = { minLength: 1, maxLength: 64 } as const

// argon2id over a multi-megabyte password would be a cheap denial of service: capped.
export const passwordRule = { minLength: 8, maxLength: 256 } as const

// A password given to confirm something (sign-in, password change, account deletion).
export const givenPasswordRule = { minLength: 1, maxLength: 256 } as const

// What an admin types to find users: part of a username.
export const userSearchRule = { maxLength: 64 } as const

export const tokenNameRule = { minLength: 1, maxLength: 100 } as const

export const usernameRegExp = new RegExp(`^${usernameRule.pattern}$`, 'u')
