// Genre keys are stored folded ("научная фантастика"); shown with a capital first letter.
// The list itself comes from the catalogue service (popularGenres).
export function genreLabel(key: string): string {
  const [first = '', ...rest] = [...key]
  return first.toLocaleUpperCase() + rest.join('')
}
