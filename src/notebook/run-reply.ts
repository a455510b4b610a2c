// What a run's reply means for the notebook beyond its outputs: the execute_reply payload a cell
// sent (IPython's set_next_input), and what a cell keeps when the runtime under it stopped or restarted.
import type { ErrorOutput, ExecutePayload, Output, SetNextInputPayload } from '../protocol';

/** The set_next_input request of a reply, or undefined. The last one wins, as in ipykernel. */
export function nextInput(payload: readonly ExecutePayload[] | undefined): SetNextInputPayload | undefined {
  return payload?.findLast((item) => item.source === 'set_next_input');
}

/** What a cell shows when the runtime under it stopped: an nbformat error, so it is saved too. */
export function runtimeFailure(message: string): ErrorOutput {
  // The runtime's own advice ("Restart it") is replaced by what the notebook does: restart on the next run.
  const reason = message.replace(/^the Python runtime died: /, '').replace(/\.? Restart it to continue\.$/, '');
  return {
    output_type: 'error',
    ename: 'RuntimeDied',
    evalue: reason,
    traceback: [
      `\x1b[31mRuntimeDied\x1b[0m: the Python runtime stopped while running this cell: ${reason}`,
      'Variables were lost. Running a cell starts a fresh runtime.',
    ],
  };
}

/** A cell stopped by restarting the runtime (an interrupt that did not take): its outputs and what was lost. */
export function abortedOutputs(outputs: readonly Output[], reason: string | undefined): Output[] {
  return [...outputs, { output_type: 'stream', name: 'stderr', text: `${reason ?? 'runtime restarted'}\n` }];
}
