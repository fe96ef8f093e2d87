import { t } from 'elysia'
import { Id, Nullable } from '../http/model'
import { givenPasswordRule, passwordRule, signInUsernameRule, tokenNameRule, usernameRule } from './rules'

export const Credentials = t.Object({
  username: t.String({
    minLength: usernameRule.minLength,
    maxLength: usernameRule.maxLength,
    description: 'Letters (any script), digits, _ . -',
  }),
  password: t.String({ ...passwordRule }),
})
export const LoginCredentials = t.Object({
  username: t.String({ ...signInUsernameRule }),
  password: t.String({ ...givenPasswordRule }),
})

export const UserSchema = t.Object({
  id: t.Integer(),
  username: t.String(),
  isAdmin: t.Boolean(),
  createdAt: t.String({ format: 'date-time' }),
})
export const UserEnvelope = t.Object({ user: UserSchema })

export const TokenCreate = t.Object({ name: t.String({ ...tokenNameRule }) })
export const CreatedToken = t.Object({
  id: t.Integer(),
  name: t.String(),
  token: t.String({ description: 'Shown once; only its hash is stored' }),
  createdAt: t.String(),
})
export const TokenSummary = t.Object({
  id: t.Integer(),
  name: t.String(),
  createdAt: t.String(),
  lastUsedAt: Nullable(t.String()),
})
export const TokenList = t.Object({ items: t.Array(TokenSummary) })
export const TokenParams = t.Object({ id: Id })

// Registration=invite: the secret of the admin's invite link (its `invite` query parameter).
export const RegisterBody = t.Object({
  ...Credentials.properties,
  invite: t.Optional(t.String({ maxLength: 100, description: 'The invite from the link, when Registration=invite' })),
})

export const PasswordResetBody = t.Object({
  token: t.String({ minLength: 1, maxLength: 100, description: 'The secret of the one-time link' }),
  password: Credentials.properties.password,
})
