// The notebook page's file browser panel: <py-files> on the runtime's workspace, shown or hidden
// by the Files button (remembered in this browser), storage-full errors from Python's saves.
import '../components/py-files';
import type { Runtime } from '../runtime/runtime';
import { WorkspaceFiles } from '../workspace/files';

const SHOWN_KEY = 'pyloom.files-panel';

export interface FilesPanel {
  files: WorkspaceFiles;
  element: HTMLElementTagNameMap['py-files'];
}

/** Wire the panel (aside#files-panel) and its toggle (#toggle-files) to `runtime`'s workspace. */
export function setupFilesPanel(runtime: Runtime): FilesPanel {
  const files = new WorkspaceFiles(runtime);
  const panel = document.getElementById('files-panel')!;
  const toggle = document.getElementById('toggle-files')!;
  const element = document.createElement('py-files');
  element.files = files;
  panel.append(element);
  const show = (shown: boolean) => {
    panel.hidden = !shown;
    toggle.setAttribute('aria-expanded', String(shown));
    localStorage.setItem(SHOWN_KEY, shown ? '1' : '0');
  };
  show(localStorage.getItem(SHOWN_KEY) !== '0');
  toggle.addEventListener('click', () => show(panel.hidden));
  // A restarted worker mounts the workspace again: list what it sees.
  runtime.addEventListener('status', (event) => {
    if ((event as CustomEvent<{ status: string }>).detail.status === 'idle') void element.refresh();
  });
  return { files, element };
}
