// The small memories of the file server are bounded the simplest way: forgotten all at
// once when full (they refill from the next requests).
import { speedTrickOn } from '../config/speed-tricks'

const isOn = speedTrickOn('file-server-memos')

export function remember<K, V>(memory: Map<K, V>, key: K, value: V, max = 10_000): V {
  if (!isOn) return value
  if (memory.size >= max) memory.clear()
  memory.set(key, value)
  return value
}
