// The output a code cell keeps when the runtime under it stopped mid-run (saved with the notebook).
import type { ErrorOutput } from '../protocol';

/** What a cell shows when the runtime under it stopped: an nbformat error, so it is saved too. */
export function runtimeFailure(message: string): ErrorOutput {
  // The runtime's own advice ("Restart it") is replaced by what the notebook does: restart on the next run.
  const reason = message.replace(/^the Python runtime died: /, '').replace(/\.? Restart it to continue\.$/, '');
  return {
    output_type: 'error',
    ename: 'RuntimeDied',
    evalue: reason,
    traceback: [`\x1b[31mRuntimeDied\x1b[0m: the Python runtime stopped while running this cell: ${reason}`, 'Variables were lost. Running a cell starts a fresh runtime.'],
  };
}
