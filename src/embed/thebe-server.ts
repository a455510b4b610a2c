// Thebe's server keys (useBinder, binderOptions, serverSettings, kernelOptions, useJupyterLite) as
// runtime options, so a Thebe page that used Binder or a Jupyter server keeps using it. The Thebe
// config itself is read by src/embed/thebe/config.ts (JSON5); this maps its `raw` keys.
import type { BinderOptions, JupyterRuntimeOptions, ServerSettings } from '../runtime/jupyter/options';

type Json = Record<string, unknown>;

const object = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

function serverSettings(value: unknown): ServerSettings | undefined {
  const settings = object(value);
  const baseUrl = text(settings?.['baseUrl']);
  if (!settings || !baseUrl) return undefined;
  const wsUrl = text(settings['wsUrl']);
  const token = typeof settings['token'] === 'string' ? settings['token'] : undefined;
  return { baseUrl, ...(wsUrl ? { wsUrl } : {}), ...(token ? { token } : {}) };
}

function binderOptions(value: unknown, config: Json): BinderOptions | undefined {
  const options = object(value);
  const repo = text(options?.['repo']);
  if (!options || !repo) return undefined;
  // Thebe 0.8 keeps savedSession in binderOptions; thebe-core has a top-level savedSessions.
  const saved = object(options['savedSession']) ?? object(config['savedSessions']);
  const ref = text(options['ref']);
  const binderUrl = text(options['binderUrl']);
  const repoProvider = text(options['repoProvider']);
  return {
    repo,
    ...(ref ? { ref } : {}),
    ...(binderUrl ? { binderUrl } : {}),
    ...(repoProvider ? { repoProvider } : {}),
    ...(saved
      ? {
          savedSession: {
            ...(typeof saved['enabled'] === 'boolean' ? { enabled: saved['enabled'] } : {}),
            ...(typeof saved['maxAge'] === 'number' ? { maxAge: saved['maxAge'] } : {}),
            ...(text(saved['storagePrefix']) ? { storagePrefix: text(saved['storagePrefix'])! } : {}),
          },
        }
      : {}),
  };
}

/**
 * Thebe's configuration object → a remote runtime's options, or undefined for Pyodide in the page.
 *
 * - `useJupyterLite: true` → Pyodide (Pyloom's own in-browser Python takes JupyterLite's place).
 * - `useBinder: true` + `binderOptions.repo` → a Binder build (`ref`, `binderUrl`, `repoProvider`,
 *   `savedSession` as Thebe reads them).
 * - `serverSettings.baseUrl` (or `kernelOptions.serverSettings.baseUrl`) → that server, with
 *   `token` and `wsUrl`.
 * - `kernelOptions.name` (or `kernelName`) → the kernel spec. `requestKernel` only says when to
 *   start (the embed starts on load, as Thebe does, rather than on the first Run).
 * Anything else, including Thebe's default local server when no `serverSettings` are given, stays
 * in the browser: a page must name its server to send code to one.
 */
export function thebeRuntimeOptions(config: Json): JupyterRuntimeOptions | undefined {
  if (config['useJupyterLite'] === true) return undefined;
  const kernel = object(config['kernelOptions']);
  const kernelName = text(kernel?.['name']) ?? text(kernel?.['kernelName']);
  const common = { kind: 'jupyter' as const, ...(kernelName ? { kernelName } : {}) };
  if (config['useBinder'] === true) {
    const binder = binderOptions(config['binderOptions'], config);
    if (binder) return { ...common, binderOptions: binder };
  }
  const server = serverSettings(config['serverSettings']) ?? serverSettings(kernel?.['serverSettings']);
  return server ? { ...common, serverSettings: server } : undefined;
}

/** Server keys in the page's own config (`data-pyloom-config`, strict JSON), which win over Thebe's. */
export function ownRuntimeOptions(document: Document): JupyterRuntimeOptions | undefined {
  try {
    const own = object(JSON.parse(document.querySelector('script[type="application/json"][data-pyloom-config]')?.textContent ?? ''));
    return own ? thebeRuntimeOptions(own) : undefined;
  } catch {
    return undefined; // config.ts already warns about a broken config
  }
}
