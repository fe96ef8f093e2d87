// "Delete my account". The user chooses what happens to the titles they own: they stay,
// with no owner (only admins may change them then: http/rights.ts), or they go with their
// videos, through the catalogue's own title deletion, which removes the files. Everything
// else that is the user's goes with the row by FK cascade: sessions and API tokens (so
// every cookie and token stops working at once), ratings, reviews, watch positions and
// reset links; videos they uploaded to titles that stay keep no owner.
import { and, count, eq, inArray } from 'drizzle-orm'
import { type CatalogueStore, deleteTitle, forgetTitleLists } from '../catalogue/service'
import type { Db } from '../db/client'
import { media, ratings, titles, users } from '../db/schema'
import { removeMediaFolders } from '../hls/layout'
import { removePartialUploads } from '../uploads/storage'
import { recomputeTitleRatings } from '../reviews/service'
import type { User } from './users'

export async function deleteAccount(store: CatalogueStore, user: User, options: { keepTitles: boolean }): Promise<void> {
  const { db } = store
  if (!options.keepTitles) {
    const owned = await db.select({ id: titles.id }).from(titles).where(eq(titles.ownerId, user.id))
    for (const title of owned) await deleteTitle(store, user, title.id)
  }
  // An upload still in progress can never be finished once its uploader is gone (nobody
  // else holds the file): its row and partial file go. Videos already queued or being
  // transcoded are complete and stay with their title; a worker finishes them as usual.
  const unfinished = await db
    .select({ id: media.id })
    .from(media)
    .where(and(eq(media.ownerId, user.id), eq(media.status, 'uploading')))
  const unfinishedIds = unfinished.map(row => row.id)
  const rated = await db.select({ titleId: ratings.titleId }).from(ratings).where(eq(ratings.userId, user.id))
  await db.batch([
    db.delete(media).where(inArray(media.id, unfinishedIds)),
    db.delete(users).where(eq(users.id, user.id)),
    // The sums on the titles follow the ratings that just went with the account.
    recomputeTitleRatings(
      db,
      rated.map(row => row.titleId),
    ),
  ])
  forgetTitleLists(db, 'ratings')
  await removeMediaFolders(store.mediaDataPath, unfinishedIds)
  await Promise.all(unfinishedIds.map(id => removePartialUploads(store.mediaDataPath, id)))
}

// For the confirmation page: how many titles the choice is about.
export async function countOwnedTitles(db: Db, userId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(titles).where(eq(titles.ownerId, userId))
  return row?.n ?? 0
}
