import { deleteTitle } from '../../catalogue/service'
import type { AppDeps } from '../../deps'
import type { PageRequest } from '../context'
import { redirectTo, redirectToSignIn } from '../respond'

export async function removeTitle(deps: AppDeps, page: PageRequest, id: number) {
  if (!page.user) return redirectToSignIn(page)
  await deleteTitle(deps.store, page.user, id)
  return redirectTo(page, '/')
}
