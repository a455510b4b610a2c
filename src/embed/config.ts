// The embed's page configuration: <script type="application/json" data-pyloom-config>, read against
// the option schema (src/shared/options.ts). Thebe's config (src/embed/thebe/config.ts) is merged
// in by the Thebe page code when a page has one.
import type { JupyterRuntimeOptions } from '../runtime/jupyter/options';
import { DEFAULT_SELECTOR, EMBED_OPTIONS, readJsonConfig, RUNTIME_OPTIONS, type JsonKeys, type OptionValues } from '../shared/options';
import type { ThebeConfig } from './thebe/config';

export { DEFAULT_SELECTOR };

/** Thebe's server keys, which a page may also write in its own config (read by thebe-server.ts). */
const THEBE_SERVER_KEYS = ['useJupyterLite', 'useBinder', 'binderOptions', 'serverSettings', 'kernelOptions', 'savedSessions'];

/** The runtime keys an embedding page may set (passed to createRuntime as they are). */
export type EmbedRuntimeOptions = Pick<OptionValues<typeof RUNTIME_OPTIONS>, JsonKeys<typeof RUNTIME_OPTIONS, 'data-pyloom-config'>>;

/** The embed's own keys, each with its schema default filled in (see EMBED_OPTIONS). */
type EmbedKeys = Required<OptionValues<typeof EMBED_OPTIONS>>;

export interface EmbedConfig extends EmbedKeys {
  /** The runtime keys the page set. */
  runtime?: EmbedRuntimeOptions;
  /** Python's working directory, relative to where it starts (Thebe's kernelOptions.path). */
  workingDirectory?: string;
  /** The page's Thebe config, typed (src/embed/thebe/config.ts), when it has one. */
  thebe?: ThebeConfig;
  /** A Jupyter server or Binder from Thebe's server keys (src/embed/thebe-server.ts); undefined: Pyodide. */
  remote?: JupyterRuntimeOptions;
}

/** Keys the page set in its own config (they win over Thebe's). */
export type OwnKeys = Set<'selector' | 'outputSelector' | 'theme' | 'preload'>;

const EMBED_JSON = { ...RUNTIME_OPTIONS, ...EMBED_OPTIONS };

function readJson(script: Element | null, warn: (message: string) => void): Record<string, unknown> {
  if (!script?.textContent?.trim()) return {};
  try {
    const value: unknown = JSON.parse(script.textContent);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { ...value };
  } catch {
    // fall through to the message below
  }
  warn('Pyloom: ignoring data-pyloom-config: it is not a JSON object (write e.g. { "theme": "dark" })');
  return {};
}

/**
 * The page's config. A bad value or unknown key is reported through `warn` (the console by
 * default) with what to write, and its default is used: the page's cells still work.
 */
export function readConfig(document: Document, warn: (message: string) => void = (m) => console.warn(m)): EmbedConfig & { own: OwnKeys } {
  const raw = readJson(document.querySelector('script[type="application/json"][data-pyloom-config]'), warn);
  const { values, errors } = readJsonConfig(EMBED_JSON, raw, 'data-pyloom-config', 'data-pyloom-config', THEBE_SERVER_KEYS);
  for (const error of errors) warn(`Pyloom: ${error}; the default is used`);
  const { selector, outputSelector, autorun, preload, theme, trust, timeout, files, ...runtime } = values;
  const own: OwnKeys = new Set();
  for (const [key, value] of [
    ['selector', selector],
    ['outputSelector', outputSelector],
    ['theme', theme],
    ['preload', preload],
  ] as const)
    if (value !== undefined) own.add(key);
  const defaults = EMBED_OPTIONS;
  return {
    selector: selector ?? defaults.selector.default,
    outputSelector: outputSelector ?? defaults.outputSelector.default,
    autorun: autorun ?? defaults.autorun.default,
    preload: preload ?? defaults.preload.default,
    theme: theme ?? defaults.theme.default,
    trust: trust ?? defaults.trust.default,
    timeout: timeout ?? defaults.timeout.default,
    files: files ?? defaults.files.default,
    ...(Object.keys(runtime).length ? { runtime } : {}),
    own,
  };
}

/**
 * A cell's `data-timeout` attribute in seconds (0: none; undefined: the attribute is absent). A bad
 * value is reported through `warn` with what to write, and the page's `timeout` is used instead.
 */
export function readCellTimeout(attribute: string | null, warn: (message: string) => void = (m) => console.warn(m)): number | undefined {
  if (attribute === null) return undefined;
  const seconds = attribute.trim() === '' ? undefined : EMBED_OPTIONS.timeout.read(Number(attribute));
  if (seconds === undefined)
    warn(
      `Pyloom: data-timeout must be ${EMBED_OPTIONS.timeout.expect} (got ${JSON.stringify(attribute)}); write e.g. data-timeout="10". The page's timeout is used`,
    );
  return seconds;
}
