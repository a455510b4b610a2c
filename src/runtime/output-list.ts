// Applies output events to a cell's output list with Jupyter's semantics: stream merging and
// carriage returns, display ids and update_display_data, clear_output(wait).
import type { MimeBundle, Output, OutputEvent, OutputMetadata } from '../protocol';

/** Keep what a terminal would show after `\r` overwrites (progress bars such as tqdm). */
export function collapseCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  return text
    .split('\n')
    .map((line) => {
      if (!line.includes('\r')) return line;
      const parts = line.split('\r');
      const pendingOverwrite = parts[parts.length - 1] === '';
      const visible = [...parts].reverse().find((p) => p !== '') ?? '';
      // A trailing \r is kept so the next chunk still overwrites this line once merged.
      return pendingOverwrite ? `${visible}\r` : visible;
    })
    .join('\n');
}

export class OutputList {
  readonly outputs: Output[] = [];
  #pendingClear = false;
  /** display_id → indexes of outputs showing it. */
  #displays = new Map<string, number[]>();

  /** Apply one event. Returns true when `outputs` changed. */
  apply(event: OutputEvent): boolean {
    switch (event.output_type) {
      case 'clear_output':
        if (event.wait) {
          this.#pendingClear = true;
          return false;
        }
        return this.clear();
      case 'update_display_data':
        return this.#update(event.transient.display_id, event.data, event.metadata);
      case 'stream': {
        const changed = this.#takePendingClear();
        const last = this.outputs[this.outputs.length - 1];
        if (last?.output_type === 'stream' && last.name === event.name) {
          last.text = collapseCarriageReturns(last.text + event.text);
        } else {
          this.outputs.push({ output_type: 'stream', name: event.name, text: collapseCarriageReturns(event.text) });
        }
        return changed || true;
      }
      case 'error':
        this.#takePendingClear();
        this.outputs.push({ ...event });
        return true;
      case 'display_data':
      case 'execute_result': {
        this.#takePendingClear();
        const { transient, ...output } = event;
        const displayId = transient?.display_id;
        if (displayId !== undefined) {
          const indexes = this.#displays.get(displayId) ?? [];
          indexes.push(this.outputs.length);
          this.#displays.set(displayId, indexes);
        }
        this.outputs.push(output);
        return true;
      }
    }
  }

  clear(): boolean {
    const had = this.outputs.length > 0;
    this.outputs.length = 0;
    this.#displays.clear();
    this.#pendingClear = false;
    return had;
  }

  #takePendingClear(): boolean {
    return this.#pendingClear ? this.clear() : false;
  }

  #update(displayId: string, data: MimeBundle, metadata: OutputMetadata): boolean {
    const indexes = this.#displays.get(displayId) ?? [];
    for (const index of indexes) {
      const output = this.outputs[index];
      if (output?.output_type === 'display_data' || output?.output_type === 'execute_result') {
        output.data = data;
        output.metadata = metadata;
      }
    }
    return indexes.length > 0;
  }
}
