// The rules (src/*/rules.ts) as the pages need them: HTML attributes of a form control, and
// the numbers messages quote ("at most {passwordMax} characters"), so that en.json and
// ru.json hold no copy of a limit.
import { passwordRule, usernameRule } from '../../auth/rules'
import { episodeNumberRule, genreRule, genresRule, seasonNumberRule, yearRule } from '../../catalogue/rules'
import { type Locale, type MessageVars, type Translate, locales } from '../../i18n'
import { reviewBodyRule, scoreRule } from '../../reviews/rules'

export type TextRule = { readonly minLength?: number; readonly maxLength?: number; readonly pattern?: string }
export type NumberRule = { readonly minimum: number; readonly maximum: number }
export type Rule = TextRule | NumberRule

export type RuleAttributes = { minLength?: number; maxLength?: number; pattern?: string; min?: number; max?: number }

// minlength/maxlength/pattern of a text rule, min/max of a number rule. A minimum length
// of 1 is left to `required`, which says the same.
export function ruleAttributes(rule: Rule | undefined): RuleAttributes {
  if (!rule) return {}
  if ('minimum' in rule) return { min: rule.minimum, max: rule.maximum }
  return { minLength: rule.minLength === 1 ? undefined : rule.minLength, maxLength: rule.maxLength, pattern: rule.pattern }
}

// Numbers a person reads as amounts are grouped as the language does (10,000 / 10 000);
// years and field numbers are not.
function ruleMessageVars(locale: Locale): MessageVars {
  const amount = (n: number) => new Intl.NumberFormat(locale).format(n)
  return {
    usernameMin: usernameRule.minLength,
    usernameMax: usernameRule.maxLength,
    passwordMin: passwordRule.minLength,
    passwordMax: passwordRule.maxLength,
    genresMax: genresRule.maxItems,
    genreMax: genreRule.maxLength,
    yearMin: yearRule.minimum,
    yearMax: yearRule.maximum,
    seasonNumberMin: seasonNumberRule.minimum,
    seasonNumberMax: seasonNumberRule.maximum,
    episodeNumberMin: episodeNumberRule.minimum,
    episodeNumberMax: episodeNumberRule.maximum,
    reviewMax: amount(reviewBodyRule.maxLength),
    scoreMin: scoreRule.minimum,
    scoreMax: scoreRule.maximum,
  }
}

// The rules never change while the server runs: their vars are made once per language, not
// per request (a number format is costly to build).
const ruleVarsOf = Object.fromEntries(locales.map(locale => [locale, ruleMessageVars(locale)])) as Record<Locale, MessageVars>

// The pages' translator: every message may quote a rule; a caller's own vars come first.
export function withRuleVars(t: Translate, locale: Locale): Translate {
  const ruleVars = ruleVarsOf[locale]
  return (key, vars) => t(key, vars ? { ...ruleVars, ...vars } : ruleVars)
}
