// The player's remembered audio and subtitle languages of a signed-in user, kept on the
// account so that every film, on every device, starts with them.
import { eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { users } from '../db/schema'
import type { PlayerPreferences } from './model'

export async function getPlayerPreferences(db: Db, userId: number): Promise<PlayerPreferences> {
  const [row] = await db
    .select({ audioLang: users.preferredAudioLang, subtitleLang: users.preferredSubtitleLang })
    .from(users)
    .where(eq(users.id, userId))
  return { audioLang: row?.audioLang ?? null, subtitleLang: row?.subtitleLang ?? null }
}

export async function savePlayerPreferences(db: Db, userId: number, chosen: PlayerPreferences): Promise<PlayerPreferences> {
  await db
    .update(users)
    .set({ preferredAudioLang: chosen.audioLang, preferredSubtitleLang: chosen.subtitleLang })
    .where(eq(users.id, userId))
  return chosen
}
