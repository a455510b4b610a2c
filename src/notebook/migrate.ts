// Moves the notebooks the previous release kept in IndexedDB (idb-keyval: database 'pyloom',
// object store 'notebooks', keys 'meta:<id>' / 'doc:<id>' / 'last-open') into the workspace as
// .ipynb files: once, idempotent, and each old record is deleted only after its file was written
// and read back equal. Only this reader of the old layout is kept.
import { clear, createStore, delMany, get, keys, type UseStore } from 'idb-keyval';
import { serializeNotebook } from './ipynb';
import type { Notebook } from './model';
import { ensureIpynb, type NotebookStore } from './store';
import { errorMessage } from '../shared/errors';

export interface MigrationReport {
  /** Notebooks now in the workspace: the old name and the file's path. */
  moved: { name: string; path: string }[];
  /** Of `moved`, those whose name was taken by a different file (kept under `path`). */
  renamed: { name: string; path: string }[];
  /** One message per notebook that could not be moved (its old record is kept). */
  failed: string[];
  /** The path of the notebook the old release had open last, if it was moved. */
  lastOpened?: string;
}

interface LegacyMeta {
  id: string;
  name: string;
  updated: number;
}

const DB = 'pyloom';

/** True when `dbName` exists (asking does not create it, where the browser can say). */
async function legacyExists(dbName: string): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  if (typeof indexedDB.databases !== 'function') return true;
  return (await indexedDB.databases()).some((db) => db.name === dbName);
}

function isLegacyMeta(value: unknown): value is LegacyMeta {
  if (typeof value !== 'object' || value === null) return false;
  const meta = value as Record<string, unknown>;
  return typeof meta['id'] === 'string' && typeof meta['name'] === 'string';
}

function isNotebook(value: unknown): value is Notebook {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as Record<string, unknown>;
  return Array.isArray(doc['cells']) && typeof doc['metadata'] === 'object' && doc['metadata'] !== null;
}

/** A file name from an old notebook name (it could hold '/', which is a folder now). */
function fileName(name: string): string {
  return ensureIpynb(name.replace(/[/\\\0]/g, '-').trim() || 'Untitled');
}

/**
 * Move every notebook of the old IndexedDB store into the workspace through `store`. A name
 * already taken by a different file gets `name-1.ipynb`…; a file with the very same text counts
 * as moved (an earlier run stopped before deleting the record). A record that is not a notebook
 * is kept, and its raw data is copied to `<name>.recovered.json` when it can be.
 */
export async function migrateLegacyNotebooks(store: NotebookStore, options: { dbName?: string } = {}): Promise<MigrationReport> {
  const report: MigrationReport = { moved: [], renamed: [], failed: [] };
  const dbName = options.dbName ?? DB;
  if (!(await legacyExists(dbName))) return report;
  const db = createStore(dbName, 'notebooks');
  const metas: LegacyMeta[] = [];
  for (const key of await keys(db)) {
    if (typeof key !== 'string' || !key.startsWith('meta:')) continue;
    const meta = await get<unknown>(key, db);
    if (isLegacyMeta(meta)) metas.push(meta);
    else
      report.failed.push(
        `An old notebook record (${key}) has no name; it is kept in browser storage. "Reset all browser data" removes it.`,
      );
  }
  // Oldest first: the newest ends up the most recently changed file, as it was in the old list.
  metas.sort((a, b) => (a.updated ?? 0) - (b.updated ?? 0));
  const paths = new Map<string, string>();
  for (const meta of metas) {
    const path = await migrateOne(store, db, meta, report).catch((error: unknown) => {
      report.failed.push(
        `"${meta.name}" was not moved into the workspace (${errorMessage(error)}); it is kept in browser storage and is tried again at the next visit.`,
      );
      return undefined;
    });
    if (path) paths.set(meta.id, path);
  }
  const last = await get<unknown>('last-open', db);
  if (typeof last === 'string' && paths.has(last)) report.lastOpened = paths.get(last);
  if (report.failed.length === 0) await delMany(['last-open'], db);
  return report;
}

async function migrateOne(store: NotebookStore, db: UseStore, meta: LegacyMeta, report: MigrationReport): Promise<string | undefined> {
  const doc = await get<unknown>(`doc:${meta.id}`, db);
  const name = fileName(meta.name);
  if (!isNotebook(doc)) {
    const reason = doc === undefined ? 'its content is missing' : 'its content is not a notebook';
    const copy = await recover(store, name, doc);
    report.failed.push(
      `"${meta.name}" could not be moved into the workspace: ${reason}. It is kept in browser storage${copy ? `, and its raw data is in the workspace as "${copy}" to download and repair` : ''}.`,
    );
    return undefined;
  }
  const text = serializeNotebook(doc);
  // The first free name, unless one of the names tried holds this very text (a run that stopped early).
  let path = name;
  for (let n = 1; ; n++) {
    const existing = await store.disk.read(path);
    if (existing?.text === text) break;
    if (!existing && !(await store.disk.exists(path))) {
      await store.disk.write(path, text);
      break;
    }
    path = `${name.slice(0, -'.ipynb'.length)}-${n}.ipynb`;
  }
  const back = await store.disk.read(path);
  if (back?.text !== text) throw new Error(`"${path}" read back differs from what was written`);
  await delMany([`meta:${meta.id}`, `doc:${meta.id}`], db);
  report.moved.push({ name: meta.name, path });
  if (path !== name) report.renamed.push({ name: meta.name, path });
  return path;
}

/** Write what a broken record holds as JSON beside the notebooks; undefined when it cannot be. */
async function recover(store: NotebookStore, name: string, doc: unknown): Promise<string | undefined> {
  if (doc === undefined) return undefined;
  try {
    const path = `${name.slice(0, -'.ipynb'.length)}.recovered.json`;
    await store.disk.write(path, JSON.stringify(doc, null, 1));
    return path;
  } catch {
    return undefined;
  }
}

/** Remove what is left of the old store ("Reset all browser data"). */
export async function clearLegacyNotebooks(options: { dbName?: string } = {}): Promise<void> {
  const dbName = options.dbName ?? DB;
  if (await legacyExists(dbName)) await clear(createStore(dbName, 'notebooks'));
}

/** A user-facing summary of a migration, or undefined when nothing happened. */
export function describeMigration(report: MigrationReport): { summary: string; details: string[] } | undefined {
  if (report.moved.length === 0 && report.failed.length === 0) return undefined;
  const count = report.moved.length;
  const summary = `${count} notebook${count === 1 ? '' : 's'} saved in this browser ${count === 1 ? 'is' : 'are'} now ${count === 1 ? 'a file' : 'files'} in the workspace (Files panel)${report.failed.length ? `; ${report.failed.length} could not be moved` : ''}:`;
  const details = [
    ...report.renamed.map((r) => `"${r.name}" is "${r.path}": a different file already had its name, and both are kept.`),
    ...report.failed,
  ];
  return { summary, details };
}
