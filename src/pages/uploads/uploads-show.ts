// The page of one's own uploads (/me/uploads): load a page of them, show it.
import type { AppDeps } from '../../deps'
import { listMediaOf } from '../../media/mine'
import { pageNumberOf } from '../ids'
import { type SignedInPage, signedIn } from '../respond'
import type { FormErrors } from '../ui/form'
import { renderUploads } from './uploads-page'

const perPage = 20

export async function loadUploads(deps: AppDeps, ctx: SignedInPage, pageNumber: number, errors?: FormErrors) {
  const paging = { page: pageNumber, perPage }
  const list = await listMediaOf(deps.store, { ownerId: ctx.user.id, paging, t: ctx.t })
  return { ...list, pageNumber, perPage, failedSourceDays: deps.config.failedSourceDays, errors }
}

export const showUploads = signedIn(async (deps: AppDeps, ctx: SignedInPage) => {
  const pageNumber = pageNumberOf(ctx.url.searchParams.get('page'))
  return renderUploads(ctx, await loadUploads(deps, ctx, pageNumber))
})
