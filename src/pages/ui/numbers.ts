// Whole numbers typed into forms and URLs, checked against a rule's range (src/*/rules.ts).

// How many digits the largest allowed value has: a longer text is refused before Number().
export function digitsOf(maximum: number): number {
  return String(maximum).length
}

// Plain digits only (no sign, exponent or spaces), within the rule's range.
export function isIntegerIn(text: string, rule: { readonly minimum: number; readonly maximum: number }): boolean {
  if (!/^\d+$/.test(text) || text.length > digitsOf(rule.maximum)) return false
  const n = Number(text)
  return n >= rule.minimum && n <= rule.maximum
}
