// Notebooks in and out of the page: the error and repair notices, parsing an imported .ipynb,
// fetching `?open=<url>`, and downloading the open notebook.
import { NotebookFileError, parseNotebook } from '../notebook/ipynb';
import type { Notebook } from '../notebook/model';

const $ = (id: string) => document.getElementById(id)!;

export const notices = {
  /** The error banner (#file-error) with `message`. */
  error(message: string): void {
    $('file-error-text').textContent = message;
    $('file-error').hidden = false;
  },
  /** The notice (#file-warnings) with a summary and one line per item; hidden when `items` is empty. */
  warnings(summary: string, items: string[]): void {
    $('file-warnings-text').textContent = summary;
    $('file-warnings-list').textContent = items.join('\n');
    $('file-warnings').hidden = items.length === 0;
  },
  clearError(): void {
    $('file-error').hidden = true;
  },
};
$('file-error-close').addEventListener('click', () => ($('file-error').hidden = true));
$('file-warnings-close').addEventListener('click', () => ($('file-warnings').hidden = true));

/** Parse an imported file; on failure the error banner says why and undefined is returned. */
export function parseImport(bytes: ArrayBuffer | string, name: string): Notebook | undefined {
  notices.clearError();
  let result;
  try {
    result = parseNotebook(bytes, name);
  } catch (error) {
    const reason = error instanceof NotebookFileError ? error.message : `unexpected error: ${String(error)}`;
    notices.error(`Could not open ${name}: ${reason} The notebook you had open is unchanged.`);
    return undefined;
  }
  notices.warnings(`${name} was opened with ${result.warnings.length} change${result.warnings.length === 1 ? '' : 's'}:`, result.warnings);
  return result.notebook;
}

/** `?open=<url>`: a same-origin or CORS-enabled notebook file; undefined (and a banner) on failure. */
export async function fetchNotebookFile(url: string): Promise<{ bytes: ArrayBuffer; name: string } | undefined> {
  let response: Response;
  const name = decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() || 'notebook.ipynb');
  try {
    response = await fetch(new URL(url, location.href));
  } catch {
    notices.error(
      `Could not fetch ${url}: the server is unreachable or does not allow cross-origin reads (CORS). Download the file and open it with Open….`,
    );
    return undefined;
  }
  if (!response.ok) {
    notices.error(`Could not fetch ${url}: HTTP ${response.status} ${response.statusText}.`);
    return undefined;
  }
  return { bytes: await response.arrayBuffer(), name };
}

/** Save `text` through the browser's download as `name`. */
export function downloadText(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ipynb+json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Drag and drop a .ipynb anywhere on the page (the file browser takes its own drops). */
export function onNotebookDrop(open: (file: File) => void): void {
  document.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', (event) => {
    document.body.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    event.preventDefault();
    open(file);
  });
}
