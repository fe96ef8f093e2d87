// bun bench/compare-revisions.ts <base-rev> <bench/script.ts> [rounds] — one benchmark, two versions
// of the code, in the same run. These machines are noisy, so figures from two separate runs say
// little: this checks out <base-rev> into a temporary git worktree (with its own `bun install`),
// then runs the benchmark there and here in alternating rounds (which one goes first alternates
// too) and prints every round's output under a label. Each side runs its own copy of the script,
// so it starts its own server. Used to show that a restructuring costs nothing (issue 12).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const [baseRev, script, roundsArg] = process.argv.slice(2)
if (!baseRev || !script) {
  console.error('usage: bun bench/compare-revisions.ts <base-rev> <bench/script.ts> [rounds]')
  process.exit(2)
}
const rounds = Math.max(1, Number(roundsArg ?? 2))
const here = join(import.meta.dir, '..')

async function run(cmd: string[], cwd: string): Promise<string> {
  const child = Bun.spawn(cmd, { cwd, stdout: 'pipe', stderr: 'pipe', env: process.env })
  const [out, err] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()])
  if ((await child.exited) !== 0) throw new Error(`${cmd.join(' ')} in ${cwd} failed:\n${err}`)
  return out
}

async function checkOut(rev: string): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'moviepoint-bench-rev-')), 'tree')
  await run(['git', 'worktree', 'add', '--detach', dir, rev], here)
  await run(['bun', 'install', '--frozen-lockfile'], dir)
  return dir
}

const baseDir = await checkOut(baseRev)
const head = (await run(['git', 'rev-parse', '--short', 'HEAD'], here)).trim()
const sides = [
  { label: `base ${baseRev}`, dir: baseDir },
  { label: `this tree (${head} + changes)`, dir: here },
]
try {
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? sides : [...sides].reverse()
    for (const side of order) {
      const out = await run(['bun', script], side.dir)
      console.log(`\n===== round ${round}/${rounds}: ${side.label} =====\n${out.trim()}`)
    }
  }
} finally {
  await run(['git', 'worktree', 'remove', '--force', baseDir], here).catch(() => {})
  rmSync(join(baseDir, '..'), { recursive: true, force: true })
}
