/** The page's entry point (bundled by `scripts/build-web.mjs`): reads the settings block and renders the app. */
import { render } from 'preact';
import { App } from './app.tsx';
import { readConfig } from './config.ts';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App config={readConfig()} />, root);
}
