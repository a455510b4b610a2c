// The header's save state (#save-state) and the conflict banner (#conflict) for the open notebook's autosave.
import type { Autosave, SaveStateDetail } from '../notebook/autosave';

const LABELS = {
  saved: 'Saved in this browser',
  pending: 'Saving…',
  saving: 'Saving…',
  conflict: 'Not saved: conflict',
  error: 'Not saved',
};

/**
 * Follow `autosave`'s state. `onSaved` runs whenever the notebook is in its saved state (the notebook
 * list's dates); `written` is true when that follows a write of the user's edits (saving → saved),
 * false when a notebook was only opened, created or reloaded. `savedLabel` says where it is saved
 * (the browser, or a local folder).
 */
export function showSaveState(autosave: Autosave, onSaved: (written: boolean) => void, savedLabel = () => LABELS.saved): void {
  const $ = (id: string) => document.getElementById(id)!;
  const saveState = $('save-state');
  let previous: string | undefined;
  autosave.addEventListener('state', (event) => {
    const { state, message } = (event as CustomEvent<SaveStateDetail>).detail;
    const written = state === 'saved' && previous === 'saving';
    previous = state;
    saveState.dataset['state'] = state;
    // Read-only: the banner above the notebook says why and offers to take over.
    saveState.textContent =
      state === 'readonly' ? (autosave.held ? 'Not saved: read-only' : 'Read-only') : state === 'saved' ? savedLabel() : LABELS[state];
    saveState.title = message ?? saveState.textContent; // the header may shorten it with an ellipsis
    $('conflict').hidden = state !== 'conflict' && state !== 'error';
    $('conflict-text').textContent = message ?? '';
    $('load-theirs').hidden = state !== 'conflict';
    $('keep-mine').textContent = state === 'error' ? 'Try again' : 'Keep this version';
    if (state === 'saved') onSaved(written);
  });
}
