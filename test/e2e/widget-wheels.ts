// The genuine widget wheels (../shared/wheels) served to a spec file's tests through a test lock;
// the whole file is skipped with the reason when the folder is absent.
import { test } from '@playwright/test';
import type { TestServer } from '../unit/helpers/http-server';
import { serveWidgetWheels, widgetWheelsMissing } from '../unit/helpers/widget-wheels';

/** Call at a spec file's top level; returns the base URL of the lock and wheels once `beforeAll` ran. */
export function useWidgetWheels(): () => string {
  const missing = widgetWheelsMissing();
  test.skip(missing !== undefined, `skipped: ${missing}`);
  // Each test boots its own Python and loads the wheels (30-60 s on a loaded 2-core machine).
  test.describe.configure({ timeout: 180_000 });
  let server: TestServer | undefined;
  test.beforeAll(async () => {
    if (!missing) server = await serveWidgetWheels();
  });
  test.afterAll(async () => server?.close());
  return () => {
    if (!server) throw new Error('the widget wheels are not served (beforeAll has not run)');
    return server.base;
  };
}
