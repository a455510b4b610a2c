// The notebook page's runtime picker: "In this browser" or "Jupyter server…" (URL, token, kernel),
// remembered per notebook in localStorage. The token is kept in memory for this tab only, unless
// the user ticks "Remember the token", and it is never written into a notebook.
import type { JupyterRuntimeOptions } from '../runtime/jupyter/options';
import { normalizeBaseUrl, splitTokenFromUrl } from '../runtime/jupyter/server-check';

export type RuntimeChoice = { kind: 'pyodide' } | { kind: 'jupyter'; baseUrl: string; kernelName?: string };

const CHOICE = 'pyloom-runtime:';
const LAST = 'pyloom-runtime-last';
const TOKEN = 'pyloom-server-token:';

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

function parseChoice(raw: string | null | undefined): RuntimeChoice {
  try {
    const value: unknown = JSON.parse(raw ?? '');
    if (
      value &&
      typeof value === 'object' &&
      'kind' in value &&
      value.kind === 'jupyter' &&
      'baseUrl' in value &&
      typeof value.baseUrl === 'string'
    ) {
      const kernelName = 'kernelName' in value && typeof value.kernelName === 'string' && value.kernelName ? value.kernelName : undefined;
      return { kind: 'jupyter', baseUrl: normalizeBaseUrl(value.baseUrl), ...(kernelName ? { kernelName } : {}) };
    }
  } catch {
    // no choice stored, or an unreadable one: the default
  }
  return { kind: 'pyodide' };
}

export const sameChoice = (a: RuntimeChoice, b: RuntimeChoice) => JSON.stringify(a) === JSON.stringify(b);

/** Tokens typed in this tab, by server base URL: gone when the tab closes. */
const sessionTokens = new Map<string, string>();

export const runtimeChoices = {
  /** The choice of the notebook shown last in this browser (read synchronously at page load). */
  last: (): RuntimeChoice => parseChoice(storage()?.getItem(LAST)),
  for: (notebookId: string): RuntimeChoice => parseChoice(storage()?.getItem(CHOICE + notebookId)),
  /** Remember `choice` for a notebook; the choice never contains a token. */
  save(notebookId: string, choice: RuntimeChoice): void {
    const text = JSON.stringify(choice);
    if (choice.kind === 'pyodide') storage()?.removeItem(CHOICE + notebookId);
    else storage()?.setItem(CHOICE + notebookId, text);
    storage()?.setItem(LAST, text);
  },
  shown(choice: RuntimeChoice): void {
    storage()?.setItem(LAST, JSON.stringify(choice));
  },
  token: (baseUrl: string): string | undefined => sessionTokens.get(baseUrl) ?? storage()?.getItem(TOKEN + baseUrl) ?? undefined,
  /** Keep a server's token for this tab; in localStorage too only when `remember`. */
  setToken(baseUrl: string, token: string, remember: boolean): void {
    sessionTokens.set(baseUrl, token);
    if (remember) storage()?.setItem(TOKEN + baseUrl, token);
    else storage()?.removeItem(TOKEN + baseUrl);
  },
  remembersToken: (baseUrl: string): boolean => storage()?.getItem(TOKEN + baseUrl) != null,
};

/** The runtime options for a remote choice, with the token known for its server ('' if none). */
export function jupyterOptions(choice: Extract<RuntimeChoice, { kind: 'jupyter' }>): JupyterRuntimeOptions {
  return {
    kind: 'jupyter',
    serverSettings: { baseUrl: choice.baseUrl, token: runtimeChoices.token(choice.baseUrl) ?? '' },
    ...(choice.kernelName ? { kernelName: choice.kernelName } : {}),
  };
}

export function describeChoice(choice: RuntimeChoice): string {
  return choice.kind === 'pyodide' ? 'In this browser' : `Jupyter server ${new URL(choice.baseUrl).host}`;
}

/**
 * Wire the picker dialog: `open(current)` fills it; Connect resolves `onPick` with the choice after
 * storing the token as asked. A URL pasted with `?token=` (from `jupyter server list`) is split.
 */
export function setUpPicker(
  dialog: HTMLDialogElement,
  onPick: (choice: RuntimeChoice) => void,
): { open(current: RuntimeChoice, problem?: string): void } {
  const field = <T extends HTMLElement>(id: string) => dialog.querySelector<T>(`#${id}`)!;
  const kindBrowser = field<HTMLInputElement>('runtime-kind-browser');
  const kindServer = field<HTMLInputElement>('runtime-kind-server');
  const url = field<HTMLInputElement>('server-url');
  const token = field<HTMLInputElement>('server-token');
  const kernel = field<HTMLInputElement>('kernel-name');
  const remember = field<HTMLInputElement>('remember-token');
  const problem = dialog.querySelector<HTMLElement>('.problem')!;
  const serverFields = dialog.querySelector<HTMLFieldSetElement>('fieldset.server')!;
  const sync = () => (serverFields.disabled = !kindServer.checked);
  kindBrowser.addEventListener('change', sync);
  kindServer.addEventListener('change', sync);
  url.addEventListener('change', () => {
    try {
      const split = splitTokenFromUrl(url.value);
      url.value = split.baseUrl;
      if (split.token) token.value = split.token;
    } catch {
      // not a URL yet: Connect says so
    }
  });
  dialog.querySelector('form')!.addEventListener('submit', (event) => {
    const submitter = event.submitter;
    if (submitter instanceof HTMLButtonElement && submitter.value === 'cancel') return;
    if (kindBrowser.checked) {
      onPick({ kind: 'pyodide' });
      return;
    }
    let baseUrl: string;
    try {
      const split = splitTokenFromUrl(url.value);
      baseUrl = split.baseUrl;
      if (split.token && !token.value) token.value = split.token;
    } catch {
      event.preventDefault();
      problem.textContent = `“${url.value}” is not a URL: use the server's address, e.g. http://127.0.0.1:8888/`;
      return;
    }
    // An empty field keeps the token this tab already has for the server.
    runtimeChoices.setToken(baseUrl, token.value || runtimeChoices.token(baseUrl) || '', remember.checked);
    token.value = '';
    onPick({ kind: 'jupyter', baseUrl, ...(kernel.value.trim() ? { kernelName: kernel.value.trim() } : {}) });
  });
  return {
    open(current, message) {
      kindBrowser.checked = current.kind === 'pyodide';
      kindServer.checked = current.kind === 'jupyter';
      if (current.kind === 'jupyter') {
        url.value = current.baseUrl;
        kernel.value = current.kernelName ?? '';
        remember.checked = runtimeChoices.remembersToken(current.baseUrl);
      }
      token.value = '';
      problem.textContent = message ?? '';
      sync();
      dialog.showModal();
    },
  };
}
