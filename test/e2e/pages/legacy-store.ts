// Test page: the previous release's notebook store (IndexedDB), so a browser test writes notebooks
// exactly as users' browsers did before notebooks became workspace files; the bench also reaches
// the new notebook files and the migration from here.
import { NotebookStore as LegacyStore } from '../../unit/helpers/legacy-notebook-store';
import { NotebookStore } from '../../../src/notebook/store';
import { opfsDisk } from '../../../src/notebook/notebook-disk';
import { migrateLegacyNotebooks } from '../../../src/notebook/migrate';

Object.assign(window, { legacyStore: new LegacyStore(), notebookFiles: { LegacyStore, NotebookStore, opfsDisk, migrateLegacyNotebooks } });
