import { deleteTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

export const removeTitle = signedIn(async (deps: AppDeps, ctx: SignedInPage, id: number) => {
  await deleteTitle(deps.store, ctx.user, id)
  return redirectTo(ctx, '/')
})
