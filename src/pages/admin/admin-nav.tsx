// The admin pages link to each other under their heading.
import type { PageContext } from '../context'

const adminPages = [
  { href: '/admin/users', key: 'admin.users_heading' },
  { href: '/admin/queue', key: 'admin.queue_heading' },
  { href: '/admin/runners', key: 'runners.heading' },
] as const

export function AdminNav({ ctx }: { ctx: PageContext }) {
  return (
    <nav class="admin-nav" aria-label={ctx.t('admin.nav_label')}>
      {adminPages.map(page => (
        <a href={page.href} aria-current={ctx.url.pathname === page.href ? 'page' : undefined}>
          {ctx.t(page.key)}
        </a>
      ))}
    </nav>
  )
}
