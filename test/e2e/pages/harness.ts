// Exposes the public library API to Playwright, nothing else: tests call it like an app would.
import * as pyloom from '../../../src/index';

declare global {
  interface Window {
    pyloom: typeof pyloom;
  }
}
window.pyloom = pyloom;
document.body.dataset['ready'] = 'true';
