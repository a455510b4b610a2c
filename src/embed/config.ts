// The embed's page configuration: <script type="application/json" data-pyloom-config>. Thebe's
// config (src/embed/thebe/config.ts) is merged in by the Thebe page code when a page has one.
import type { JupyterRuntimeOptions } from '../runtime/jupyter/options';
import type { ThebeConfig } from './thebe/config';

export interface EmbedConfig {
  /** Code blocks to turn into cells. */
  selector: string;
  /** Thebe's predefined outputs next to a block (shown until the cell runs). */
  outputSelector: string;
  indexURL?: string;
  packageBaseUrl?: string;
  lockFileURL?: string;
  indexUrls?: string[];
  /** Run every cell on load, in document order. */
  autorun: boolean;
  /** Boot Python on load instead of on the first Run. */
  preload: boolean;
  /** auto: follow the reader's prefers-color-scheme. */
  theme: 'light' | 'dark' | 'auto';
  /** Let outputs run scripts. Only for pages whose code the page's author wrote. */
  trust: boolean;
  /** Seconds a cell may run before it is interrupted (0: no limit); `data-timeout` per cell. */
  timeout: number;
  /** Python's working directory, relative to where it starts (Thebe's kernelOptions.path). */
  workingDirectory?: string;
  /** The page's Thebe config, typed (src/embed/thebe/config.ts), when it has one. */
  thebe?: ThebeConfig;
  /** A Jupyter server or Binder from Thebe's server keys (src/embed/thebe-server.ts); undefined: Pyodide. */
  remote?: JupyterRuntimeOptions;
}

/** Keys the page set in its own config (they win over Thebe's). */
export type OwnKeys = Set<'selector' | 'outputSelector' | 'theme' | 'preload'>;

export const DEFAULT_SELECTOR = 'py-cell, pre[data-executable], pre > code.language-python[data-pyloom]';

function readJson(script: Element | null, what: string): Record<string, unknown> {
  if (!script?.textContent?.trim()) return {};
  try {
    const value: unknown = JSON.parse(script.textContent);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the message below
  }
  console.warn(`Pyloom: ignoring ${what}: it is not a JSON object`);
  return {};
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function readConfig(document: Document): EmbedConfig & { own: OwnKeys } {
  const own = readJson(document.querySelector('script[type="application/json"][data-pyloom-config]'), 'data-pyloom-config');
  const indexUrls = Array.isArray(own['indexUrls']) ? own['indexUrls'].filter((u): u is string => typeof u === 'string') : undefined;
  const keys: OwnKeys = new Set();
  for (const key of ['selector', 'outputSelector', 'theme', 'preload'] as const) if (key in own) keys.add(key);
  return {
    selector: str(own['selector']) ?? DEFAULT_SELECTOR,
    outputSelector: str(own['outputSelector']) ?? '[data-output]',
    indexURL: str(own['indexURL']),
    packageBaseUrl: str(own['packageBaseUrl']),
    lockFileURL: str(own['lockFileURL']),
    ...(indexUrls ? { indexUrls } : {}),
    autorun: own['autorun'] === true,
    preload: own['preload'] === true,
    theme: own['theme'] === 'dark' || own['theme'] === 'auto' ? own['theme'] : 'light',
    trust: own['trust'] === true,
    timeout: typeof own['timeout'] === 'number' && own['timeout'] > 0 ? own['timeout'] : 0,
    own: keys,
  };
}
