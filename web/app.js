// Glue every page loads after htmx. No inline scripts anywhere (the CSP forbids them).
'use strict'

// The session's CSRF token: its cookie (fresh even if another tab signed in again or
// changed the password), else the token the page was rendered with. The page names the
// cookie: `csrf`, or `__Host-csrf` when the site is served over https.
function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]')
  const prefix = `${meta?.dataset.cookie ?? 'csrf'}=`
  const cookie = document.cookie.split('; ').find(part => part.startsWith(prefix))
  if (cookie) return decodeURIComponent(cookie.slice(prefix.length))
  return meta?.content ?? ''
}

window.moviePoint = { csrfToken }

// htmx requests that change something carry the token in the header the server checks
// (forms also carry it as _csrf, so they work without JavaScript).
document.addEventListener('htmx:configRequest', event => {
  if (event.detail.verb === 'get') return
  const token = csrfToken()
  if (token) event.detail.headers['X-CSRF-Token'] = token
})

// The language links were rendered for the URL the page was loaded with; after htmx
// pushed a new URL (search, filters), switch the language of the page shown now.
document.addEventListener('click', event => {
  const link = event.target instanceof Element ? event.target.closest('a[data-lang]') : null
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return
  const url = new URL(window.location.href)
  url.searchParams.set('lang', link.dataset.lang)
  link.href = url.pathname + url.search + url.hash
})
