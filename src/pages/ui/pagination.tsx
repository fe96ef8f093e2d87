// Page links that work as plain links; with htmx they swap only `target` and push the URL.
import type { Translate } from '../../i18n'

export type PaginationProps = {
  t: Translate
  page: number
  perPage: number
  total: number
  hrefFor: (page: number) => string
  // CSS selector of the fragment the links replace (htmx), or none for plain links.
  target?: string
}

// First, last, and two on each side of the current page; gaps shown as "…".
function visiblePages(current: number, last: number): (number | null)[] {
  const wanted = new Set([1, last, current - 2, current - 1, current, current + 1, current + 2])
  const pages = [...wanted].filter(n => n >= 1 && n <= last).sort((a, b) => a - b)
  return pages.flatMap((n, i) => (i > 0 && n - pages[i - 1] > 1 ? [null, n] : [n]))
}

export function Pagination(props: PaginationProps) {
  const { t, page, hrefFor, target } = props
  const last = Math.max(1, Math.ceil(props.total / props.perPage))
  if (last === 1) return null
  const htmx = (href: string) =>
    target ? { 'hx-get': href, 'hx-target': target, 'hx-swap': `outerHTML show:${target}:top`, 'hx-push-url': 'true' } : {}
  const link = (n: number, label: string, rel?: string) => (
    <a href={hrefFor(n)} rel={rel} {...htmx(hrefFor(n))}>
      {label}
    </a>
  )
  return (
    <nav class="pagination" aria-label={t('pagination.label')}>
      {page > 1 && link(page - 1, t('pagination.previous'), 'prev')}
      {visiblePages(page, last).map(n =>
        n === null ? (
          <span aria-hidden="true">…</span>
        ) : n === page ? (
          <span aria-current="page">{n}</span>
        ) : (
          <a href={hrefFor(n)} aria-label={t('pagination.page', { number: n })} {...htmx(hrefFor(n))}>
            {n}
          </a>
        ),
      )}
      {page < last && link(page + 1, t('pagination.next'), 'next')}
    </nav>
  )
}
