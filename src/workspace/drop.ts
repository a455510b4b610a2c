// Files the user brings in: a drop (files and whole folders, walked through the entries API) or
// a picker (a folder picker gives webkitRelativePath), as workspace upload items.
import { joinPath, type UploadItem } from './files';

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, prefix: string, out: UploadItem[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: joinPath(prefix, entry.name), file });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until an empty one.
  for (let batch = await readEntries(reader); batch.length; batch = await readEntries(reader)) {
    for (const child of batch) await walk(child, joinPath(prefix, entry.name), out);
  }
}

/** The files of a drop, folders walked, each with its path under `folder`. */
export async function itemsFromDrop(transfer: DataTransfer, folder: string): Promise<UploadItem[]> {
  // Entries must be taken synchronously, before the event handler's first await.
  const entries = [...transfer.items].flatMap((item) => {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
    return entry ? [entry] : [];
  });
  const files = [...transfer.files];
  if (entries.length === 0) return files.map((file) => ({ path: joinPath(folder, file.name), file }));
  const out: UploadItem[] = [];
  for (const entry of entries) await walk(entry, folder, out);
  return out;
}

/** The files of a picker; a folder picker keeps their folders (webkitRelativePath). */
export function itemsFromPicker(files: FileList | readonly File[], folder: string): UploadItem[] {
  return [...files].map((file) => ({ path: joinPath(folder, file.webkitRelativePath || file.name), file }));
}
