// A page that is one form (add or edit a title, season, episode, review): heading, a link
// to what it belongs to, the form with its alert, fields and actions, and, when editing a
// season or an episode, the zone to delete it.
import type { ComponentChildren } from 'preact'
import type { PageContext } from '../context'
import { renderPage } from '../respond'
import { CsrfField, DangerZone, FormActions, FormAlert, type FormErrors } from './form'

export type FormFrame = {
  heading: string
  action: string
  submit: string
  cancel: string
  parent?: { href: string; label: string }
  remove?: { noun: 'season' | 'episode'; id: number }
  isWide?: boolean
}

function DeleteZone({ ctx, noun, id }: { ctx: PageContext; noun: 'season' | 'episode'; id: number }) {
  const { t } = ctx
  const texts = { summary: t(`${noun}.delete`), warning: t(`${noun}.delete_warning`), confirm: t(`${noun}.delete_confirm`) }
  return <DangerZone ctx={ctx} action={`/${noun}s/${id}/delete`} {...texts} />
}

function FormPage({
  ctx,
  frame,
  errors,
  children,
}: {
  ctx: PageContext
  frame: FormFrame
  errors: FormErrors
  children: ComponentChildren
}) {
  const { t } = ctx
  const parent = frame.parent && <a href={frame.parent.href}>{frame.parent.label}</a>
  return (
    <section class={frame.isWide ? 'narrow wide-form' : 'narrow'}>
      <h1>{frame.heading}</h1>
      {parent && <p>{parent}</p>}
      <form method="post" action={frame.action} class="stack" novalidate>
        <CsrfField ctx={ctx} />
        <FormAlert t={t} errors={errors} />
        {children}
        <FormActions submit={frame.submit} cancel={{ href: frame.cancel, label: t('form.cancel') }} />
      </form>
      {frame.remove && <DeleteZone ctx={ctx} {...frame.remove} />}
    </section>
  )
}

export function renderFormPage(
  ctx: PageContext,
  frame: FormFrame,
  view: { errors: FormErrors; status?: number },
  fields: ComponentChildren,
) {
  const body = <FormPage ctx={ctx} frame={frame} errors={view.errors} children={fields} />
  return renderPage(ctx, { title: frame.heading, status: view.status }, body)
}
