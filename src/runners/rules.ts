// The origin's limits for remote runners, declared once.

// A claim or a command request waits this long for something to answer before a 204.
export const longPollMs = 25_000

// Bytes a runner may upload for one job: everything a ladder makes of a source stays well
// under four times its size (the top rung is at most the source's bitrate, the others
// smaller); the fixed part covers posters, previews and playlists of a small source.
// Tests shrink the fixed part (MOVIEPOINT_RUNNER_UPLOAD_SLACK_BYTES), to reach the limit
// with a few megabytes.
export const uploadSlackBytes = 256 * 1024 ** 2
export function uploadBudgetOf(sourceBytes: number, env: Record<string, string | undefined> = process.env): number {
  const slack = Number(env.MOVIEPOINT_RUNNER_UPLOAD_SLACK_BYTES)
  return 4 * sourceBytes + (Number.isSafeInteger(slack) && slack >= 0 ? slack : uploadSlackBytes)
}

// An ended job's session still answers its runner (410, or `done`) for this long.
export const endedSessionKeepMs = 10 * 60_000
