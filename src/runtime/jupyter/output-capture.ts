// ipywidgets' Output widget on a remote kernel: ipykernel sets the widget's `msg_id` while a
// `with out:` block (or an `interact` callback) runs, and the frontend is expected to route IOPub
// outputs with that parent id into the widget (JupyterLab does it with a message hook). Here they
// become the widget's `outputs` state, as Pyodide's Python half (pyloom/widget_capture.py) does,
// so the same Output view shows them; the cell never sees them as its own outputs.
import type { CommMessage, Output, OutputEvent } from '../../protocol';
import { OutputList } from '../output-list';

interface Capturing {
  msgId: string;
  outputs: OutputList;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** One nbformat output from state set in Python, or undefined when it is not one. */
function asOutput(item: unknown): Output | undefined {
  if (!isRecord(item)) return undefined;
  const { output_type: type, name, text, data, metadata, execution_count: count, ename, evalue, traceback } = item;
  const bundle = isRecord(data) ? data : undefined;
  const meta = isRecord(metadata) ? metadata : {};
  if (type === 'stream' && (name === 'stdout' || name === 'stderr'))
    return { output_type: 'stream', name, text: Array.isArray(text) ? text.join('') : String(text ?? '') };
  if (type === 'display_data' && bundle) return { output_type: 'display_data', data: bundle, metadata: meta };
  if (type === 'execute_result' && bundle)
    return { output_type: 'execute_result', execution_count: typeof count === 'number' ? count : null, data: bundle, metadata: meta };
  if (type === 'error')
    return {
      output_type: 'error',
      ename: String(ename ?? ''),
      evalue: String(evalue ?? ''),
      traceback: Array.isArray(traceback) ? traceback.map(String) : [],
    };
  return undefined;
}

/** Outputs an Output widget's state carries (set in Python with `append_stdout`, `outputs = …`). */
function outputsOf(value: unknown): OutputList {
  const list = new OutputList();
  for (const item of Array.isArray(value) ? value : []) {
    const output = asOutput(item);
    if (output) list.apply(output);
  }
  return list;
}

export class OutputCapture {
  /** Output widgets by comm id. */
  #widgets = new Map<string, Capturing>();

  /** Follow Output widgets' `msg_id` and `outputs` in a comm message from the kernel. */
  track(message: CommMessage): void {
    if (message.msg_type === 'comm_close') {
      this.#widgets.delete(message.comm_id);
      return;
    }
    const state = message.data['state'];
    if (!isRecord(state)) return;
    let widget = this.#widgets.get(message.comm_id);
    if (message.msg_type === 'comm_open') {
      if (state['_model_name'] !== 'OutputModel' || state['_model_module'] !== '@jupyter-widgets/output') return;
      widget = { msgId: '', outputs: new OutputList() };
      this.#widgets.set(message.comm_id, widget);
    }
    if (!widget) return;
    if (typeof state['msg_id'] === 'string') widget.msgId = state['msg_id'];
    if ('outputs' in state) widget.outputs = outputsOf(state['outputs']);
  }

  /**
   * Route `event` (an output whose parent message id is `parentId`) into the Output widget
   * capturing it (the innermost, last opened, one). Undefined when none captures it; else the
   * widget's state update, undefined inside when its outputs did not change (a pending clear).
   */
  capture(parentId: string, event: OutputEvent): { update: CommMessage | undefined } | undefined {
    if (!parentId) return undefined;
    const found = [...this.#widgets].reverse().find(([, widget]) => widget.msgId === parentId);
    if (!found) return undefined;
    const [commId, widget] = found;
    if (!widget.outputs.apply(event)) return { update: undefined };
    // A copy: the list changes in place, and a model compares the new value with the one it holds.
    const outputs = structuredClone(widget.outputs.outputs);
    return {
      update: {
        msg_type: 'comm_msg',
        comm_id: commId,
        data: { method: 'update', state: { outputs }, buffer_paths: [] },
        metadata: {},
        buffers: [],
      },
    };
  }
}
