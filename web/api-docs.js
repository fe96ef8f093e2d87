// Starts Swagger UI on /api/docs (kept out of the page so the CSP needs no inline script).
const root = document.getElementById('swagger-ui')
window.SwaggerUIBundle({ url: root.dataset.specUrl, domNode: root, deepLinking: true })
