// The parts of the File System API that TypeScript's DOM library leaves out (worker-only and
// async-iteration members); Chromium ships all of them in dedicated workers.
interface FileSystemSyncAccessHandleLike {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

interface FileSystemHandle {
  /** Chromium: rename or move within the same file system (OPFS); absent elsewhere. */
  move?(parent: FileSystemDirectoryHandle, name: string): Promise<void>;
}

interface FileSystemFileHandle {
  /** Dedicated workers only. */
  createSyncAccessHandle?(): Promise<FileSystemSyncAccessHandleLike>;
}

interface FileSystemDirectoryHandle {
  entries(): AsyncIterableIterator<[string, FileSystemFileHandle | FileSystemDirectoryHandle]>;
}

/** Dedicated workers: read a Blob synchronously. */
declare var FileReaderSync: { new (): { readAsArrayBuffer(blob: Blob): ArrayBuffer } } | undefined;
