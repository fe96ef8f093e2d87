import type { Translate } from '../../i18n'
import type { ReviewForm } from './review-form'
import { CheckboxField, type FormErrors, TextArea, messageOf } from '../ui/form'

export function ReviewFields({ t, form, errors }: { t: Translate; form: ReviewForm; errors: FormErrors }) {
  return (
    <>
      <TextArea
        id="review-body"
        name="body"
        label={t('review.body')}
        value={form.body}
        required
        maxLength={10_000}
        rows={6}
        hint={t('review.body_hint')}
        error={errors.body ? messageOf(t, errors.body) : undefined}
      />
      <CheckboxField id="review-spoiler" name="spoiler" label={t('review.spoiler')} checked={form.spoiler} />
    </>
  )
}
