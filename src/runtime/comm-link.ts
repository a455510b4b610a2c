// What widget code needs of a kernel's comms, whichever runtime carries them: the Pyodide runtime's
// CommChannel (a MessagePort to its worker) or a Jupyter kernel's websocket (jupyter/comms.ts).
import type { CommMessage } from '../protocol';

export interface CommLink {
  /**
   * Queue `message` (comm_open, comm_msg or comm_close) for the kernel. Resolves when the kernel
   * has handled it; throws at once when the link is closed (the kernel restarted or went away).
   */
  send(message: CommMessage): Promise<void>;
  /** Every comm message from the kernel, in order. Returns the function that stops listening. */
  onMessage(listener: (message: CommMessage) => void): () => void;
}
