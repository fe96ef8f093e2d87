import type { Translate } from '../../i18n'
import { reviewBodyRule } from '../../reviews/rules'
import { CheckboxField, type FormErrors, TextArea, errorText } from '../ui/form'
import type { ReviewForm } from './review-form'

export function ReviewFields({ t, form, errors }: { t: Translate; form: ReviewForm; errors: FormErrors }) {
  const body = { id: 'review-body', name: 'body', value: form.body, error: errorText(t, errors, 'body') }
  return (
    <>
      <TextArea {...body} label={t('review.body')} required rule={reviewBodyRule} rows={6} hint={t('review.body_hint')} />
      <CheckboxField id="review-spoiler" name="spoiler" label={t('review.spoiler')} checked={form.spoiler} />
    </>
  )
}
