import { Elysia } from 'elysia'
import { assetRoutes, vendorUrl, webUrl } from './assets'

// Swagger UI over the generated OpenAPI document; every asset is served locally and the
// start-up code is a file (web/api-docs.js), so the page keeps the strict CSP.
function docsPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>MoviePoint API</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="${vendorUrl('swagger-ui.css')}">
</head>
<body>
  <div id="swagger-ui" data-spec-url="/api/v1/openapi.json"></div>
  <script src="${vendorUrl('swagger-ui-bundle.js')}"></script>
  <script src="${webUrl('api-docs.js')}"></script>
</body>
</html>`
}

export const apiDocsRoutes = new Elysia({ name: 'api-docs' })
  .use(assetRoutes)
  .get('/api/docs', () => new Response(docsPage(), { headers: { 'content-type': 'text/html; charset=utf-8' } }))
