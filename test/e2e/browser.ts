// Which Chromium the browser tests drive: PLAYWRIGHT_CHROMIUM_EXECUTABLE, then the system
// Chromium, then Playwright's own download; otherwise a message that says how to get one.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function findChromium(): string {
  const fromEnv = process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PLAYWRIGHT_CHROMIUM_EXECUTABLE=${fromEnv} does not exist`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  let own: string | undefined;
  try {
    own = chromium.executablePath();
  } catch {
    own = undefined;
  }
  if (own && existsSync(own)) return own;
  throw new Error(
    'No Chromium found for the browser tests. Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`), ' +
      'or run `npx playwright install chromium`, or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to a Chromium binary.',
  );
}
