// Form controls with their label and, when the last attempt failed, the error right next
// to them (linked with aria-describedby so screen readers read it with the field).
import type { ComponentChildren } from 'preact'
import type { Translate } from '../../i18n'
import type { PageRequest } from '../context'

// Field name (or "form" for the whole form) → i18n key of what is wrong with it.
export type FormErrors = Record<string, string>

export function hasErrors(errors: FormErrors): boolean {
  return Object.keys(errors).length > 0
}

import { messageOf } from '../../i18n'
export { messageOf }

export function CsrfField({ page }: { page: PageRequest }) {
  return page.csrfToken ? <input type="hidden" name="_csrf" value={page.csrfToken} /> : null
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

type Common = { id: string; name: string; label: string; error?: string; hint?: string; required?: boolean }

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
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <input
        id={id}
        name={input.name}
        // One element for several types; preact's input typings are a union keyed on `type`.
        type={(input.type ?? 'text') as 'text'}
        value={input.value}
        required={input.required}
        maxLength={input.maxLength}
        min={input.min}
        max={input.max}
        autocomplete={input.autocomplete}
        inputMode={input.inputMode}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, error, hint)}
      />
    </Field>
  )
}

export function TextArea(props: Common & { value: string; maxLength?: number; rows?: number }) {
  const { id, label, error, hint } = props
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <textarea
        id={id}
        name={props.name}
        required={props.required}
        maxLength={props.maxLength}
        rows={props.rows ?? 5}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, error, hint)}
      >
        {props.value}
      </textarea>
    </Field>
  )
}

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
