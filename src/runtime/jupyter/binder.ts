// A Jupyter server from BinderHub: the build API's event stream (phases and build log), and the
// server it hands over, remembered in localStorage so the next page load reuses it while it lives.
import type { BinderOptions, ServerSettings } from './options';
import { ServerError } from './server-check';

/** One event of BinderHub's build stream (`data: {…}` lines of `GET {binderUrl}/build/{provider}/{spec}`). */
export interface BinderEvent {
  phase: string;
  message: string;
}

const PROVIDERS: Record<string, string> = {
  github: 'gh',
  gitlab: 'gl',
  git: 'git',
  gist: 'gist',
  zenodo: 'zenodo',
  figshare: 'figshare',
  hydroshare: 'hydroshare',
  dataverse: 'dataverse',
};

/** The build URL for these options: `{binderUrl}/build/{gh|gl|git|…}/{spec}`. Throws on an unknown provider. */
export function buildUrl(options: BinderOptions): string {
  const binderUrl = (options.binderUrl ?? 'https://mybinder.org').replace(/\/+$/, '');
  const providerName = (options.repoProvider ?? 'github').toLowerCase();
  const provider = PROVIDERS[providerName];
  if (!provider)
    throw new ServerError(
      'binder',
      `Unknown Binder repoProvider '${options.repoProvider}': use one of ${Object.keys(PROVIDERS).join(', ')}.`,
    );
  const ref = options.ref ?? 'HEAD';
  const repo = options.repo.trim().replace(/^\/+|\/+$/g, '');
  let spec: string;
  if (provider === 'gh') spec = `${repo.replace(/^https?:\/\/github\.com\//, '').replace(/\.git$/, '')}/${ref}`;
  else if (provider === 'gl' || provider === 'git') spec = `${encodeURIComponent(repo)}/${encodeURIComponent(ref)}`;
  else if (provider === 'gist') spec = `${repo}/${ref}`;
  else spec = encodeURIComponent(repo); // DOIs and dataset ids have no ref
  return `${binderUrl}/build/${provider}/${spec}`;
}

interface SavedSession {
  url: string;
  token: string;
  lastUsed: number;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled (privacy settings, sandboxed iframe)
  }
}

/** The server a build produced, as remembered (if fresh), else undefined. */
function loadSaved(key: string, maxAgeMs: number): SavedSession | undefined {
  const raw = storage()?.getItem(key);
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === 'object' && 'url' in value && 'token' in value && 'lastUsed' in value) {
      const { url, token, lastUsed } = value;
      if (typeof url === 'string' && typeof token === 'string' && typeof lastUsed === 'number' && Date.now() - lastUsed < maxAgeMs)
        return { url, token, lastUsed };
    }
  } catch {
    // a broken entry is dropped below
  }
  storage()?.removeItem(key);
  return undefined;
}

async function alive(session: SavedSession, fetcher: typeof fetch): Promise<boolean> {
  const response = await fetcher(`${session.url.replace(/\/?$/, '/')}api/kernels`, {
    headers: { Authorization: `token ${session.token}` },
    cache: 'no-store',
    credentials: 'omit',
  }).catch(() => undefined);
  return response?.ok === true;
}

/**
 * A server for `options`: a remembered one that still answers, else a new build. `onEvent` gets
 * every build event (phase + log line) as it arrives. Rejects with a ServerError: the build
 * failed (with the end of its log), the BinderHub is unreachable or answered an HTTP error.
 */
export async function binderServer(
  options: BinderOptions,
  onEvent: (event: BinderEvent) => void,
  fetcher: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<{ settings: ServerSettings; reused: boolean }> {
  const url = buildUrl(options);
  const saved = options.savedSession ?? {};
  const key = `${saved.storagePrefix ?? 'pyloom-binder-'}${url}`;
  const remember = saved.enabled !== false;
  if (remember) {
    const previous = loadSaved(key, (saved.maxAge ?? 86_400) * 1000);
    if (previous && (await alive(previous, fetcher))) {
      storage()?.setItem(key, JSON.stringify({ ...previous, lastUsed: Date.now() }));
      onEvent({ phase: 'ready', message: `Reusing the Binder server of an earlier visit (${new URL(previous.url).host})` });
      return { settings: { baseUrl: previous.url, token: previous.token }, reused: true };
    }
    storage()?.removeItem(key);
  }
  const ready = await streamBuild(url, options, onEvent, fetcher);
  if (remember)
    storage()?.setItem(key, JSON.stringify({ url: ready.url, token: ready.token, lastUsed: Date.now() } satisfies SavedSession));
  return { settings: { baseUrl: ready.url, token: ready.token }, reused: false };
}

async function streamBuild(
  url: string,
  options: BinderOptions,
  onEvent: (event: BinderEvent) => void,
  fetcher: typeof fetch,
): Promise<{ url: string; token: string }> {
  const what = `${options.repo}${options.ref ? `@${options.ref}` : ''}`;
  let response: Response;
  try {
    response = await fetcher(url, { headers: { Accept: 'text/event-stream' }, cache: 'no-store', credentials: 'omit' });
  } catch {
    throw new ServerError(
      'binder',
      `Could not reach the BinderHub at ${new URL(url).origin} to build ${what}: is binderUrl right, and does it allow this page's origin?`,
    );
  }
  if (!response.ok || !response.body)
    throw new ServerError('binder', `The BinderHub at ${new URL(url).origin} answered HTTP ${response.status} for ${what}.`);
  const log: string[] = [];
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (!data) continue; // comments and keep-alives
      const event = parseEvent(data);
      if (!event) continue;
      if (event.message) log.push(event.message.replace(/\n$/, ''));
      onEvent({ phase: event.phase, message: event.message });
      if (event.phase === 'ready' && event.url) {
        void reader.cancel();
        return { url: event.url, token: event.token ?? '' };
      }
      if (event.phase === 'failed') {
        void reader.cancel();
        throw new ServerError(
          'binder',
          `Binder could not build ${what}: ${event.message.trim() || 'the build failed'}\n\nBuild log (last lines):\n${log.slice(-30).join('\n')}`,
        );
      }
    }
    if (done) break;
  }
  throw new ServerError(
    'binder',
    `The BinderHub closed the build stream for ${what} before a server was ready.\n\nBuild log (last lines):\n${log.slice(-30).join('\n')}`,
  );
}

function parseEvent(data: string): (BinderEvent & { url?: string; token?: string }) | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (!value || typeof value !== 'object') return undefined;
    const phase = 'phase' in value && typeof value.phase === 'string' ? value.phase : '';
    const message = 'message' in value && typeof value.message === 'string' ? value.message : '';
    const url = 'url' in value && typeof value.url === 'string' ? value.url : undefined;
    const token = 'token' in value && typeof value.token === 'string' ? value.token : undefined;
    return { phase, message, ...(url ? { url } : {}), ...(token !== undefined ? { token } : {}) };
  } catch {
    return undefined;
  }
}
