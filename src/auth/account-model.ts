// Schemas of the routes by which people manage their own account (account-routes.ts).
import { t } from 'elysia'
import { Nullable } from '../http/model'
import { publicSessionIdPattern } from './my-sessions'
import { givenPasswordRule, passwordRule } from './rules'

// The registration rule for passwords (rules.ts); any current one is compared.
const NewPassword = t.String({ ...passwordRule })
const GivenPassword = t.String({ ...givenPasswordRule })

export const PasswordChange = t.Object({ currentPassword: GivenPassword, newPassword: NewPassword })

export const AccountDeletion = t.Object({
  password: GivenPassword,
  keepTitles: t.Optional(
    t.Boolean({
      default: true,
      description: 'true (the default): your titles stay, with no owner; false: they are deleted with their videos',
    }),
  ),
})

export const SessionSummarySchema = t.Object({
  id: t.String({ description: 'A short public name of the session (not its secret)' }),
  current: t.Boolean({ description: 'The session this request came with' }),
  userAgent: Nullable(t.String({ description: 'The browser that signed in, as it named itself' })),
  browser: Nullable(t.String({ description: 'e.g. "Firefox", when recognised' })),
  os: Nullable(t.String({ description: 'e.g. "Windows", when recognised' })),
  createdAt: t.String({ format: 'date-time' }),
  lastSeenAt: Nullable(t.String({ format: 'date-time', description: 'Exact to a minute' })),
})
export const SessionList = t.Object({ items: t.Array(SessionSummarySchema) })
export const SessionParams = t.Object({ id: t.String({ pattern: publicSessionIdPattern, title: 'id' }) })
