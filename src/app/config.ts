// The deployment config: an optional pyloom.json beside index.html (the embed's runtime keys, plus
// how the page uses its service worker).
import type { IsolationMode } from '../offline/register';
import type { RuntimeOptions } from '../runtime/runtime';

const URL_KEYS = ['indexURL', 'packageBaseUrl', 'lockFileURL'] as const;
const KEYS = [...URL_KEYS, 'indexUrls', 'offline', 'isolation'] as const;
const ISOLATION: readonly IsolationMode[] = ['require-corp', 'credentialless', 'off'];

export type DeploymentConfig = Pick<RuntimeOptions, (typeof URL_KEYS)[number] | 'indexUrls'> & {
  /** Register the offline service worker (default true). */
  offline?: boolean;
  /** The COOP/COEP the service worker adds (default require-corp; see README "Offline"). */
  isolation?: IsolationMode;
};

/** Reads and checks pyloom.json; a missing file is the defaults, a broken one says why. */
export async function loadDeploymentConfig(url = new URL('pyloom.json', document.baseURI).href): Promise<DeploymentConfig> {
  const response = await fetch(url).catch(() => undefined);
  if (!response || response.status === 404 || !response.ok) return {};
  let raw: unknown;
  try {
    raw = await response.json();
  } catch {
    throw new Error(`${url} is not valid JSON`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${url} must hold a JSON object`);
  const config: DeploymentConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'indexUrls') {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`${url}: indexUrls must be a list of URLs`);
      config.indexUrls = value;
    } else if (key === 'offline') {
      if (typeof value !== 'boolean') throw new Error(`${url}: offline must be true or false`);
      config.offline = value;
    } else if (key === 'isolation') {
      if (!ISOLATION.includes(value as IsolationMode)) throw new Error(`${url}: isolation must be one of ${ISOLATION.join(', ')}`);
      config.isolation = value as IsolationMode;
    } else if ((URL_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'string') throw new Error(`${url}: ${key} must be a URL string`);
      config[key as (typeof URL_KEYS)[number]] = value;
    } else {
      throw new Error(`${url}: unknown key ${key} (known: ${KEYS.join(', ')})`);
    }
  }
  return config;
}
