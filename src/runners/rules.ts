// The origin's limits for remote runners, declared once.

// A claim or a command request waits this long for something to answer before a 204.
export const longPollMs = 25_000

// Bytes a runner may upload for one job: everything a ladder makes of a source stays well
// under four times its size (the top rung is at most the source's bitrate, the others
// smaller); the fixed part covers posters, previews and playlists of a small source.
export const uploadSlackBytes = 256 * 1024 ** 2
export const uploadBudgetOf = (sourceBytes: number) => 4 * sourceBytes + uploadSlackBytes

// An ended job's session still answers its runner (410, or `done`) for this long.
export const endedSessionKeepMs = 10 * 60_000
