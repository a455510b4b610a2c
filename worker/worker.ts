// The worker entry: transport only. All Pyodide logic is in ./kernel (tested in Node).
import { expose } from 'comlink';
import { createKernel } from './kernel';
import { cacheSnapshotStore } from './snapshot-store';
import { opfsStore } from './workspace/opfs-store';
import { memoryStore } from './workspace/store';

expose(
  createKernel({
    snapshots: cacheSnapshotStore(),
    // OPFS where the browser has it (with synchronous handles); otherwise files live as long as the worker.
    workspaceStore: opfsStore()
      .catch(() => undefined)
      .then((store) => store ?? memoryStore()),
  }),
);
