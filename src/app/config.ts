// The deployment config: an optional pyloom.json beside index.html (same keys as the embed config).
import type { RuntimeOptions } from '../runtime/runtime';

const KEYS = ['indexURL', 'packageBaseUrl', 'lockFileURL', 'indexUrls'] as const;
export type DeploymentConfig = Pick<RuntimeOptions, (typeof KEYS)[number]>;

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
    } else if ((KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'string') throw new Error(`${url}: ${key} must be a URL string`);
      config[key as Exclude<(typeof KEYS)[number], 'indexUrls'>] = value;
    } else {
      throw new Error(`${url}: unknown key ${key} (known: ${KEYS.join(', ')})`);
    }
  }
  return config;
}
