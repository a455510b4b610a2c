// "Reset all browser data": after its confirmation, erase the browser's workspace (notebooks
// included) through whoever may write it now, then the offline copies and the settings.
import type { NotebookDisk } from '../notebook/notebook-disk';
import type { NotebookStore } from '../notebook/store';
import { clearLegacyNotebooks } from '../notebook/migrate';
import { clearOfflineCache } from '../offline/register';
import { clearSnapshots } from '../offline/snapshots';
import { errorMessage } from '../shared/errors';
import type { WorkspaceFiles } from '../workspace/files';

export interface ResetTargets {
  /** This tab's worker's file operations (`available` only while Python runs in this tab's worker). */
  files: Pick<WorkspaceFiles, 'available' | 'clear'>;
  /** True while the worker works on a local folder: its workspace is then that folder, never erased. */
  folderOpen: boolean;
  /** The browser's workspace as the page reads it (the notebooks' disk when no folder is open). */
  workspace: NotebookDisk;
  store: Pick<NotebookStore, 'cleared'>;
}

/**
 * Erase the browser's workspace. Through the worker when it mounts that workspace (it holds a copy
 * of the files and Python's unsaved writes, and serialises with them); page-side otherwise — the
 * notebook runs on a Jupyter server, or the worker works on a local folder, which is left alone.
 * Resolves with who erased it; rejects with the storage's error (then other tabs are not told).
 */
export async function eraseWorkspace(targets: ResetTargets): Promise<'worker' | 'page'> {
  const byWorker = targets.files.available && !targets.folderOpen;
  if (byWorker) await targets.files.clear();
  else await targets.workspace.clear();
  targets.store.cleared();
  return byWorker ? 'worker' : 'page';
}

/**
 * The Reset button: asks, checks this tab may write (`canWrite` shows why not), erases, and
 * reloads the page. A workspace that could not be erased stops the reset with `report(message)`.
 */
export function setUpReset(
  button: HTMLElement,
  targets: () => ResetTargets,
  canWrite: (action: string) => boolean,
  report: (message: string) => void,
): void {
  button.addEventListener('click', async () => {
    const { folderOpen } = targets();
    const folderNote = folderOpen ? ' The local folder you opened is not touched.' : '';
    const question = `Delete every notebook, output, workspace file, setting and offline file Pyloom keeps in this browser? Download what you want to keep first.${folderNote}`;
    if (!confirm(question) || !canWrite('reset')) return;
    try {
      await eraseWorkspace(targets());
    } catch (error) {
      report(`Workspace files were not erased: ${errorMessage(error)}`);
      return;
    }
    await clearLegacyNotebooks().catch(() => undefined);
    await clearOfflineCache().catch(() => undefined);
    await clearSnapshots().catch(() => undefined);
    location.replace(location.pathname);
  });
}
