// The deployment config: an optional pyloom.json beside index.html (the runtime's JSON keys, plus
// how the page uses its service worker), read against the option schema (src/shared/options.ts).
import { APP_OPTIONS, readJsonConfig, RUNTIME_OPTIONS, type JsonKeys, type OptionValues } from '../shared/options';

const PYLOOM_JSON = { ...RUNTIME_OPTIONS, ...APP_OPTIONS };

/** What pyloom.json may set: the runtime's JSON keys and `offline`, `isolation` (see APP_OPTIONS). */
export type DeploymentConfig = Pick<OptionValues<typeof PYLOOM_JSON>, JsonKeys<typeof PYLOOM_JSON, 'pyloom.json'>>;

/**
 * Reads and checks pyloom.json; a missing file is the defaults. Rejects, naming the file, when it
 * is not a JSON object, and with one message per bad value or unknown key (each says what to
 * write) when any is wrong: a half-read config is not used.
 */
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
  const { values, errors } = readJsonConfig(PYLOOM_JSON, { ...raw }, 'pyloom.json', `pyloom.json (${url})`);
  if (errors.length) throw new Error(errors.join('; '));
  return values;
}
