// A table that htmx swaps on its own, found by its id (a video in it that finishes processing
// asks for a fresh one): what the last action on it was refused for, the table, and links to
// its other pages.
import type { Translate } from '../../i18n'
import { FormAlert, type FormErrors } from './form'
import { Pagination } from './pagination'
import { DataTable, type DataTableProps } from './table'

// Where a live list is: the id of its element and the address of its first page.
export type ListPlace = { id: string; path: string }

export type ListPage<Item> = { items: Item[]; total: number; pageNumber: number; perPage: number; errors?: FormErrors }

export function pageHref(place: ListPlace, pageNumber: number): string {
  return pageNumber > 1 ? `${place.path}?page=${pageNumber}` : place.path
}

export function LiveTable<Item>(props: {
  t: Translate
  place: ListPlace
  label: string
  page: ListPage<Item>
  table: Omit<DataTableProps<Item>, 'items'>
}) {
  const { t, place, page } = props
  return (
    <section id={place.id} aria-label={props.label}>
      <FormAlert t={t} errors={page.errors ?? {}} />
      <DataTable {...props.table} items={page.items} />
      <Pagination t={t} page={page.pageNumber} perPage={page.perPage} total={page.total} hrefFor={n => pageHref(place, n)} />
    </section>
  )
}
