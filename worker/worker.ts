// The worker entry: transport only. All Pyodide logic is in ./kernel (tested in Node).
import { expose } from 'comlink';
import { createKernel } from './kernel';
import { cacheSnapshotStore } from './snapshot-store';

expose(createKernel({ snapshots: cacheSnapshotStore() }));
