/**
 * The API reference page's init script (`/docs`): renders `/v1/openapi.json` with swagger-ui-dist's bundle,
 * served from node_modules by `functions/routes/web.ts`. A file of its own because the page's CSP allows no
 * inline script.
 */
interface SwaggerUIBundleFn {
  (options: Record<string, unknown>): unknown;
  presets: { apis: unknown };
}

const bundle = (window as unknown as { SwaggerUIBundle?: SwaggerUIBundleFn }).SwaggerUIBundle;
const target = document.getElementById('swagger-ui');
if (!bundle || !target) {
  if (target) target.textContent = 'The API reference renderer did not load.';
} else {
  bundle({
    url: '/v1/openapi.json',
    domNode: target,
    presets: [bundle.presets.apis],
    deepLinking: true,
    // Calls made from "Try it out" use the page's own origin; keys typed there stay in this tab.
    persistAuthorization: false,
    validatorUrl: null,
  });
}
