import type { ComponentChildren } from 'preact'
import { type Locale, locales } from '../i18n'
import { type PageScript, scriptUrls, styleUrls } from './assets'
import type { PageContext } from './context'
import { requestPath } from './next-path'
import { PostButton } from './ui/form'

// Read by htmx from the page. Scripts in swapped content never run and nothing is
// evaluated (the CSP forbids it anyway); the indicator style is in app.css, not injected.
// No history snapshots: going back reloads the URL, which always renders the right state.
const htmxConfig = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  historyCacheSize: 0,
  refreshOnHistoryMiss: true,
})

const languageNames: Record<Locale, string> = { en: 'English', ru: 'Русский' }

// Built from the parsed path only: `GET //evil.example/x` links to `/evil.example/x`.
function withLanguage(url: URL, locale: Locale): string {
  const { pathname, search } = requestPath(url)
  const query = new URLSearchParams(search)
  query.set('lang', locale)
  return `${pathname}?${query}`
}

function LanguageSwitch({ ctx }: { ctx: PageContext }) {
  return (
    <nav class="languages" aria-label={ctx.t('layout.language')}>
      {locales.map(locale => (
        <a
          href={withLanguage(ctx.url, locale)}
          hreflang={locale}
          lang={locale}
          data-lang={locale}
          aria-current={locale === ctx.locale ? 'true' : undefined}
        >
          {languageNames[locale]}
        </a>
      ))}
    </nav>
  )
}

function AccountMenu({ ctx }: { ctx: PageContext }) {
  const { t, user } = ctx
  if (!user)
    return (
      <div class="account">
        <a href="/login">{t('nav.sign_in')}</a>
        {ctx.offersRegistration && <a href="/register">{t('nav.register')}</a>}
      </div>
    )
  return (
    <div class="account">
      <a href="/account" title={t('nav.tokens')}>
        {user.username}
      </a>
      <PostButton ctx={ctx} action="/logout" label={t('nav.sign_out')} buttonClass="link" />
    </div>
  )
}

export function Layout(props: { ctx: PageContext; title: string; scripts: PageScript[]; children: ComponentChildren }) {
  const { ctx } = props
  const { t } = ctx
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* No favicon request (and no 404 in the console). */}
        <link rel="icon" href="data:," />
        <title>{`${props.title} · MoviePoint`}</title>
        <meta name="htmx-config" content={htmxConfig} />
        {ctx.csrfToken && <meta name="csrf-token" content={ctx.csrfToken} data-cookie={ctx.csrfCookie ?? undefined} />}
        {styleUrls(props.scripts).map(href => (
          <link rel="stylesheet" href={href} />
        ))}
        {scriptUrls(props.scripts).map(src => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('layout.skip_to_content')}
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            MoviePoint
          </a>
          <nav class="main-nav" aria-label={t('layout.main_menu')}>
            <a href="/">{t('nav.catalogue')}</a>
            {ctx.user && <a href="/titles/new">{t('nav.add_title')}</a>}
            {ctx.user && <a href="/me/uploads">{t('nav.my_uploads')}</a>}
            {ctx.user?.isAdmin && <a href="/admin/users">{t('nav.admin_users')}</a>}
          </nav>
          <AccountMenu ctx={ctx} />
          <LanguageSwitch ctx={ctx} />
        </header>
        <main id="main">{props.children}</main>
        <footer class="site-footer">
          <a href="/api/docs">{t('layout.api_docs')}</a>
        </footer>
      </body>
    </html>
  )
}
