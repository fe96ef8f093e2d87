// bun bench/upload-soak.ts — two PATCHes of one tus upload sent at once, 1,000 times
// (SOAK_RUNS). Each upload is then resumed to its end as a client would (HEAD, PATCH the
// rest), and the stored source is compared with what was sent (SHA-256). Prints how many
// stored files were corrupted and how the racing PATCHes were answered. Sizes are random
// between 16 KiB and 1.5 MiB, the range where Bun's native body write once stored zeros.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { addTitle } from '../test/helpers/catalogue'
import { Client, signUp } from '../test/helpers/client'
import { createTusUpload, patchUpload, randomVideo, send, sha256, uploadOffset } from '../test/helpers/media'
import { startServer } from '../test/helpers/server'

const runs = Number(process.env.SOAK_RUNS ?? 1000)
const KiB = 1024

const server = await startServer({ ini: { MaxUploadBytes: '16M' } })
try {
  const owner = await signUp(server.url)
  const bearer = Client.withToken(server.url, (await owner.post('/api/v1/tokens', { name: 'soak' })).body.token)
  const titleId = (await addTitle(owner, { name: 'Soak' })).id
  const answers = new Map<string, number>()
  let corrupted = 0
  const startedMs = performance.now()
  for (let run = 1; run <= runs; run++) {
    const bytes = randomVideo(16 * KiB + Math.floor(Math.random() * (1536 - 16) * KiB))
    const created = await createTusUpload(bearer, { length: bytes.length, target: `title:${titleId}`, filename: 'soak.mkv' })
    const location = created.headers.get('location') as string
    const mediaId = Number(created.headers.get('media-id'))
    const pair = await Promise.all([patchUpload(bearer, location, 0, bytes), patchUpload(bearer, location, 0, bytes)])
    const key = pair
      .map(answer => answer.status)
      .sort()
      .join('+')
    answers.set(key, (answers.get(key) ?? 0) + 1)
    const offset = await uploadOffset(bearer, location)
    if (offset < bytes.length) await patchUpload(bearer, location, offset, bytes.subarray(offset))
    const folder = join(server.mediaDir, String(mediaId))
    const names = readdirSync(folder)
    const isExact = names.length === 1 && sha256(readFileSync(join(folder, names[0]))) === sha256(bytes)
    if (!isExact) {
      corrupted += 1
      console.log(`run ${run}: corrupted (${bytes.length} bytes sent, answers ${key}, offset after the race ${offset})`)
    }
    await send(bearer, 'DELETE', `/api/v1/media/${mediaId}`)
    if (run % 100 === 0) console.log(`${run} runs, ${corrupted} corrupted`)
  }
  const answerText = [...answers].map(([key, count]) => `${key}: ${count}`).join(', ')
  console.log(
    `Racing PATCH soak: ${corrupted} corrupted files out of ${runs} runs (${((performance.now() - startedMs) / 1000).toFixed(0)} s)`,
  )
  console.log(`Answers to the racing pairs: ${answerText}`)
} finally {
  await server.stop()
}
