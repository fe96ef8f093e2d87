import { deleteTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import { redirectTo, signedIn, type SignedInPage } from '../respond'

export const removeTitle = signedIn(async (deps: AppDeps, page: SignedInPage, id: number) => {
  await deleteTitle(deps.store, page.user, id)
  return redirectTo(page, '/')
})
