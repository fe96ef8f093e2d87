import type { AppDeps } from '../../deps'
import { seasonToModify } from '../modify'
import { signedIn, type SignedInPage } from '../respond'
import { renderSeasonForm } from './season-form-page'

export const showSeasonEdit = signedIn(async (deps: AppDeps, ctx: SignedInPage, seasonId: number) => {
  const { season, title } = await seasonToModify(deps, ctx, seasonId)
  const form = { number: String(season.number), name: season.name ?? '' }
  return renderSeasonForm(ctx, { title, seasonId, form, errors: {} })
})
