// The status badge on catalogue cards: shown to the uploader while their newest video of a
// title waits or is processed, or after it failed (failed wins across a series' episodes);
// nobody else sees one. No worker runs here: uploads stay queued, failures are set directly.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { addEpisode, addSeason, addTitle } from '../helpers/catalogue'
import { type Client, signUp } from '../helpers/client'
import { randomVideo, send } from '../helpers/media'
import { type TestServer, startServer } from '../helpers/server'
import { openServerDb, type TestDb } from '../helpers/transcode'
import { markMediaFailed } from '../../src/transcoding/jobs'

let server: TestServer
let db: TestDb
let owner: Client
let other: Client

beforeAll(async () => {
  server = await startServer({ ini: { Workers: 0 } })
  db = openServerDb(server).db
  owner = await signUp(server.url)
  other = await signUp(server.url)
})
afterAll(() => server.stop())

async function upload(target: string): Promise<number> {
  const answer = await send(owner, 'PUT', `/api/v1/${target}/video?filename=film.mp4`, { body: randomVideo(1024) })
  if (answer.status !== 202) throw new Error(`upload failed: ${answer.status}`)
  return (await answer.json()).media.id
}

const fail = (mediaId: number) => markMediaFailed(db, mediaId, { code: 'not_a_video' })

// Each card's name and the text of its badge ('' without one), as the catalogue shows them.
async function badgesSeenBy(client: Client | null): Promise<Record<string, string>> {
  const html = client ? (await client.get('/?lang=en')).text : await (await fetch(`${server.url}/?lang=en`)).text()
  const cards = html.split('<li class="card">').slice(1)
  return Object.fromEntries(
    cards.map(card => [/<h2>([^<]*)<\/h2>/.exec(card)?.[1] ?? '', /class="video-badge [a-z]+">([^<]*)</.exec(card)?.[1] ?? '']),
  )
}

test('the uploader sees which titles have a video processing or failed; others see nothing', async () => {
  const waiting = (await addTitle(owner, { name: 'Waiting film' })).id
  await upload(`titles/${waiting}`)
  const broken = (await addTitle(owner, { name: 'Broken film' })).id
  await fail(await upload(`titles/${broken}`))
  const reuploaded = (await addTitle(owner, { name: 'Uploaded again' })).id
  await fail(await upload(`titles/${reuploaded}`))
  await upload(`titles/${reuploaded}`)
  const series = (await addTitle(owner, { name: 'Mixed series', kind: 'series' })).id
  const season = (await addSeason(owner, series)).id
  await fail(await upload(`episodes/${(await addEpisode(owner, season, 1)).id}`))
  await upload(`episodes/${(await addEpisode(owner, season, 2)).id}`)
  await addTitle(owner, { name: 'No video' })

  expect(await badgesSeenBy(owner)).toEqual({
    'Waiting film': 'Processing',
    'Broken film': 'Processing failed',
    'Uploaded again': 'Processing',
    'Mixed series': 'Processing failed',
    'No video': '',
  })
  const noBadges = { 'Waiting film': '', 'Broken film': '', 'Uploaded again': '', 'Mixed series': '', 'No video': '' }
  expect(await badgesSeenBy(other)).toEqual(noBadges)
  expect(await badgesSeenBy(null)).toEqual(noBadges)
})
