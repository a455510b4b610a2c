// Test page: the previous release's notebook store (IndexedDB), so a browser test writes notebooks
// exactly as users' browsers did before notebooks became workspace files.
import { NotebookStore } from '../../unit/helpers/legacy-notebook-store';

Object.assign(window, { legacyStore: new NotebookStore() });
