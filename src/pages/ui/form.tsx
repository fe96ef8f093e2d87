// Form controls with their label and, when the last attempt failed, the error right next
// to them (linked with aria-describedby so screen readers read it with the field).
import type { ComponentChildren } from 'preact'
import type { Translate } from '../../i18n'
import { givenPasswordRule, passwordRule } from '../../auth/rules'
import type { PageContext } from '../context'
import { type Rule, ruleAttributes } from './rule-vars'

// Field name (or "form" for the whole form) → i18n key of what is wrong with it.
export type FormErrors = Record<string, string>

export function hasErrors(errors: FormErrors): boolean {
  return Object.keys(errors).length > 0
}

import { messageOf } from '../../i18n'
export { messageOf }

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return ctx.csrfToken ? <input type="hidden" name="_csrf" value={ctx.csrfToken} /> : null
}

export function FormAlert({ t, errors }: { t: Translate; errors: FormErrors }) {
  if (!errors.form) return null
  return (
    <p class="form-alert" role="alert">
      {messageOf(t, errors.form)}
    </p>
  )
}

type FieldFrame = { id: string; label: string; error?: string; hint?: string; children: ComponentChildren }

function describedBy(id: string, error?: string, hint?: string): string | undefined {
  const ids = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean)
  return ids.length > 0 ? ids.join(' ') : undefined
}

function Field({ id, label, error, hint, children }: FieldFrame) {
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      )}
    </div>
  )
}

type Common = { id: string; name: string; label: string; error?: string; hint?: string; required?: boolean; rule?: Rule }

// A rule (src/*/rules.ts) gives the limits; a limit given as a prop wins over it.
function limitsOf(props: { rule?: Rule; maxLength?: number; min?: number; max?: number }) {
  const fromRule = ruleAttributes(props.rule)
  return { ...fromRule, maxLength: props.maxLength ?? fromRule.maxLength, min: props.min ?? fromRule.min, max: props.max ?? fromRule.max }
}

// What an input and a textarea share: name, limits, and the link to the error and hint.
function controlAttributes(props: Common & { maxLength?: number; min?: number; max?: number }) {
  const { minLength, maxLength } = limitsOf(props)
  const { id, error, hint } = props
  const described = { 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': describedBy(id, error, hint) }
  return { id, name: props.name, required: props.required, minLength, maxLength, ...described }
}

export function TextField(
  props: Common & {
    value: string
    type?: 'text' | 'password' | 'number' | 'search'
    maxLength?: number
    min?: number
    max?: number
    autocomplete?: string
    inputMode?: 'numeric' | 'text'
  },
) {
  const { id, label, error, hint, ...input } = props
  const limits = limitsOf(props)
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <input
        {...controlAttributes(props)}
        // One element for several types; preact's input typings are a union keyed on `type`.
        type={(input.type ?? 'text') as 'text'}
        value={input.value}
        pattern={limits.pattern}
        min={limits.min}
        max={limits.max}
        autocomplete={input.autocomplete}
        inputMode={input.inputMode}
      />
    </Field>
  )
}

// A password is never echoed back. A new one follows the password rule, which its hint
// states; one given to confirm something only has the length cap.
export function PasswordField(props: { t: Translate; id: string; name: string; label: string; errors: FormErrors; isNew?: boolean }) {
  const { t, id, name, label, isNew } = props
  return (
    <TextField
      {...{ id, name, label, type: 'password', value: '', required: true }}
      autocomplete={isNew ? 'new-password' : 'current-password'}
      rule={isNew ? passwordRule : givenPasswordRule}
      hint={isNew ? t('account.password_hint') : undefined}
      error={errorText(t, props.errors, name)}
    />
  )
}

export function TextArea(props: Common & { value: string; maxLength?: number; rows?: number }) {
  return (
    <Field id={props.id} label={props.label} error={props.error} hint={props.hint}>
      <textarea {...controlAttributes(props)} rows={props.rows ?? 5}>
        {props.value}
      </textarea>
    </Field>
  )
}

// What a form's fields share: the typed values and the errors, with their messages.
// `bind(name, id)` gives a control its id, name, value and error in one spread.
export function formBinding<F extends Record<string, unknown>>(t: Translate, form: F, errors: FormErrors) {
  return (name: keyof F & string, id: string = name) => ({
    id,
    name,
    value: String(form[name] ?? ''),
    error: errors[name] ? messageOf(t, errors[name]) : undefined,
  })
}

// The message of a field's error, if it has one.
export function errorText(t: Translate, errors: FormErrors, field: string): string | undefined {
  return errors[field] ? messageOf(t, errors[field]) : undefined
}

// Submit, and a link back to where the person came from.
export function FormActions(props: { submit: string; cancel: { href: string; label: string }; danger?: boolean }) {
  return (
    <div class="actions">
      <button type="submit" class={props.danger ? 'danger' : 'primary'}>
        {props.submit}
      </button>
      <a href={props.cancel.href}>{props.cancel.label}</a>
    </div>
  )
}

// One button that posts (sign out, delete, revoke…): a form of its own with the CSRF token.
export function PostButton(props: {
  ctx: PageContext
  action: string
  label: string
  ariaLabel?: string
  buttonClass?: string
  formClass?: string
}) {
  return (
    <form method="post" action={props.action} class={props.formClass}>
      <CsrfField ctx={props.ctx} />
      <button type="submit" class={props.buttonClass} aria-label={props.ariaLabel}>
        {props.label}
      </button>
    </form>
  )
}

// A button that posts from a table row (an inline form); a danger one deletes or takes away.
// Its label names the row for screen readers, which hear it away from the row's other cells.
export function RowButton(props: { ctx: PageContext; action: string; label: string; ariaLabel: string; danger?: boolean }) {
  const { danger, ...button } = props
  return <PostButton {...button} formClass="inline" buttonClass={danger ? 'danger' : undefined} />
}

// A deletion behind a disclosure, with a sentence of what it takes along.
export function DangerZone(props: { ctx: PageContext; action: string; summary: string; warning: string; confirm: string }) {
  return (
    <details class="danger-zone">
      <summary>{props.summary}</summary>
      <form method="post" action={props.action} class="stack">
        <CsrfField ctx={props.ctx} />
        <p>{props.warning}</p>
        <button type="submit" class="danger">
          {props.confirm}
        </button>
      </form>
    </details>
  )
}

// A form page's state: what was typed, what is wrong with it, and the answer's status.
export type FormView<F> = { form: F; errors: FormErrors; status?: number }

export function CheckboxField(props: { id: string; name: string; label: string; checked: boolean }) {
  return (
    <div class="field checkbox">
      <input id={props.id} type="checkbox" name={props.name} value="on" checked={props.checked} />
      <label for={props.id}>{props.label}</label>
    </div>
  )
}

// Text of a form body field: forms post strings; anything else reads as empty.
export function fieldText(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' ? value : ''
}
