// Before a kernel starts: is the Jupyter server there, does it take the token, does it allow this
// page's origin? Each failure becomes a message that says what to change.

import type { ServerSettings } from './options';
import { errorMessage } from '../../shared/errors';

/** A server problem the user can fix; `kind` lets pages and tests tell them apart. */
export class ServerError extends Error {
  constructor(
    readonly kind: 'token' | 'unreachable' | 'cors' | 'not-jupyter' | 'http' | 'mixed-content' | 'binder',
    message: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

/** `baseUrl` with a trailing slash and without query or hash (where a pasted `?token=` lives). */
export function normalizeBaseUrl(baseUrl: string, page = globalThis.location?.href): string {
  const url = new URL(baseUrl, page);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** A URL as pasted from `jupyter server list` (`…/?token=abc`): the base URL and the token apart. */
export function splitTokenFromUrl(pasted: string): { baseUrl: string; token: string | undefined } {
  const url = new URL(pasted.trim());
  const token = url.searchParams.get('token') ?? undefined;
  // JupyterLab and Notebook page paths are not API bases: keep the server's base.
  url.pathname = url.pathname.replace(/\/(lab|tree|notebooks|doc)(\/.*)?$/, '/');
  return { baseUrl: normalizeBaseUrl(url.href), token };
}

const origin = () => globalThis.location?.origin ?? 'this page';
export const allowOriginHint = () => `--ServerApp.allow_origin='${origin()}'`;

/**
 * Ask `GET {baseUrl}api/status` with the token. Resolves when the server answers 200; rejects
 * with a ServerError naming the cause: wrong token (401/403), not a Jupyter server (404), a
 * JupyterHub user server that is not running (424/503), CORS
 * refused (reachable, but this origin is not allowed), unreachable, or an https page asking an
 * http server.
 */
export async function checkServer(settings: ServerSettings, fetcher: typeof fetch = globalThis.fetch.bind(globalThis)): Promise<void> {
  const base = normalizeBaseUrl(settings.baseUrl);
  const page = globalThis.location;
  if (page?.protocol === 'https:' && base.startsWith('http:') && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(base)) {
    throw new ServerError(
      'mixed-content',
      `This page is https, so the browser will not talk to ${base} (http). Serve the Jupyter server over https.`,
    );
  }
  let response: Response;
  try {
    response = await fetcher(`${base}api/status`, {
      headers: settings.token ? { Authorization: `token ${settings.token}` } : {},
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw await diagnoseNetworkFailure(base, fetcher);
  }
  if (response.ok) return;
  if (response.status === 401 || response.status === 403) {
    throw new ServerError(
      'token',
      `The Jupyter server at ${base} refused the token (HTTP ${response.status}). ${settings.token ? 'Check the token' : 'It needs a token'}: \`jupyter server list\` shows it, and JupyterHub users can make one under Token.`,
    );
  }
  if (response.status === 404) {
    throw new ServerError(
      'not-jupyter',
      `${base} answered 404 for api/status: is it a Jupyter server's base URL? (For JupyterHub use your server's URL, e.g. https://hub.example.org/user/NAME/.)`,
    );
  }
  if (response.status === 424 || response.status === 503) {
    // What JupyterHub answers (424 since 2.0, 503 before) for a user server that is not running.
    throw new ServerError(
      'unreachable',
      `The Jupyter server at ${base} is not running (HTTP ${response.status}). On JupyterHub, start it from the Hub's home page (or POST /hub/api/users/NAME/server) and try again.`,
    );
  }
  throw new ServerError('http', `The Jupyter server at ${base} answered HTTP ${response.status} ${response.statusText}.`);
}

/**
 * A failed CORS request looks the same as a server that is down. A `no-cors` request tells them
 * apart: it succeeds (opaque) when something answered. Cross-origin isolated pages block opaque
 * responses too, so there the message names both causes.
 */
async function diagnoseNetworkFailure(base: string, fetcher: typeof fetch): Promise<ServerError> {
  const reachable = await fetcher(`${base}api/status`, { mode: 'no-cors', cache: 'no-store', credentials: 'omit' }).then(
    () => true,
    () => false,
  );
  if (reachable) {
    return new ServerError(
      'cors',
      `The Jupyter server at ${base} is running but does not allow requests from ${origin()} (CORS). Start it with ${allowOriginHint()}.`,
    );
  }
  if (globalThis.crossOriginIsolated === true) {
    return new ServerError(
      'unreachable',
      `Could not reach the Jupyter server at ${base}: it is not running or not reachable from this browser, or it does not allow requests from ${origin()} (CORS: start it with ${allowOriginHint()}).${localNetworkHint(base)}`,
    );
  }
  return new ServerError(
    'unreachable',
    `Could not reach the Jupyter server at ${base}: is it running, and is the URL right?${localNetworkHint(base)}`,
  );
}

const LOCAL = /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[::1\]|[^.]+$)/;
/** A public page asking a local server needs the browser's local-network permission (Chromium asks). */
function localNetworkHint(base: string): string {
  const page = globalThis.location?.hostname;
  if (!page || LOCAL.test(page) || !LOCAL.test(new URL(base).hostname)) return '';
  return ' The browser may also have blocked this public page from reaching a server on your computer or local network: allow "local network access" for this site when it asks.';
}

/** Any error as text, with a token that might be inside (a websocket URL) masked. */
export function describeError(error: unknown, token?: string): string {
  const text = errorMessage(error);
  return token ? text.split(token).join('•••') : text;
}
