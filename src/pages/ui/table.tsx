// Data tables: a head row, then a row per item, each column saying what it shows of an item.
import type { ComponentChildren } from 'preact'

// The head row of a data table; a last column of row actions is named for screen readers only.
export function TableHead({ columns, actions }: { columns: string[]; actions?: string }) {
  return (
    <thead>
      <tr>
        {columns.map(column => (
          <th scope="col">{column}</th>
        ))}
        {actions !== undefined && (
          <th scope="col">
            <span class="visually-hidden">{actions}</span>
          </th>
        )}
      </tr>
    </thead>
  )
}

export type Column<Item> = {
  heading: string
  cell: (item: Item) => ComponentChildren
  // The cell that names the row (<th scope="row">), which screen readers read with each other cell.
  isRowHeader?: boolean
}

export type DataTableProps<Item> = {
  class: string
  columns: Column<Item>[]
  // A last column of buttons, its heading for screen readers only.
  actions?: Column<Item>
  items: Item[]
  // Said in place of the table when there are no items; null: nothing is.
  empty: string | null
  // Attributes of an item's row: the ids scripts and tests find it by.
  rowAttributes?: (item: Item) => Record<string, string | number>
  // Each data cell carries its heading (data-label), for a narrow layout that stacks the cells.
  hasCellLabels?: boolean
}

function Cell<Item>({ column, item, label }: { column: Column<Item>; item: Item; label?: string }) {
  if (column.isRowHeader) return <th scope="row">{column.cell(item)}</th>
  return <td data-label={label}>{column.cell(item)}</td>
}

function Row<Item>({ table, item }: { table: DataTableProps<Item>; item: Item }) {
  return (
    <tr {...table.rowAttributes?.(item)}>
      {table.columns.map(column => (
        <Cell column={column} item={item} label={table.hasCellLabels ? column.heading : undefined} />
      ))}
      {table.actions && <td>{table.actions.cell(item)}</td>}
    </tr>
  )
}

export function DataTable<Item>(table: DataTableProps<Item>) {
  if (table.items.length === 0) return table.empty === null ? null : <p>{table.empty}</p>
  const headings = table.columns.map(column => column.heading)
  return (
    <table class={table.class}>
      <TableHead columns={headings} actions={table.actions?.heading} />
      <tbody>
        {table.items.map(item => (
          <Row table={table} item={item} />
        ))}
      </tbody>
    </table>
  )
}
