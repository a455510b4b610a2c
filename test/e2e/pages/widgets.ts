// Widget test page: a runtime, its widget host and <py-output>s, a sentinel for payloads.
import '../../../src/components/py-output';
import type { PyOutput } from '../../../src/components/py-output';
import { createRuntime, type AnyRuntime } from '../../../src/runtime/runtime';
import { widgetHostFor } from '../../../src/widgets/host';

declare global {
  interface Window {
    __pwned: (id: string) => void;
    pwned: string[];
    widgetPage: {
      start(lockFileURL: string, packageBaseUrl: string, trusted: boolean): Promise<void>;
      /** A kernel on a Jupyter server instead of Pyodide (widgets over its comms). */
      startRemote(baseUrl: string, token: string): Promise<void>;
      /** Run a cell whose outputs go to a new <py-output id=…>; resolves with the reply status. */
      run(id: string, code: string): Promise<string>;
      /** Run a cell; resolves with what it printed (stdout). */
      print(code: string): Promise<string>;
      /** Start a cell without waiting for it. */
      start_run(code: string): Promise<string>;
      runtime: AnyRuntime | undefined;
      host(): ReturnType<typeof widgetHostFor>;
      /** Milliseconds from a page message to the DOM change it causes (set by tests). */
      stats(): { sent: number; batches: number; coalesced: number };
    };
  }
}

window.pwned = [];
window.__pwned = (id: string) => window.pwned.push(id);
let trustedOutputs = false;
window.widgetPage = {
  runtime: undefined,
  async start(lockFileURL, packageBaseUrl, trusted) {
    trustedOutputs = trusted;
    const runtime = createRuntime({ lockFileURL, packageBaseUrl });
    this.runtime = runtime;
    await runtime.ready;
  },
  async startRemote(baseUrl, token) {
    const runtime = createRuntime({ kind: 'jupyter', serverSettings: { baseUrl, token }, kernelName: 'python3' });
    this.runtime = runtime;
    await runtime.ready;
  },
  async run(id, code) {
    const runtime = this.runtime!;
    const output = document.createElement('py-output') as PyOutput;
    output.id = id;
    output.trusted = trustedOutputs;
    output.widgets = widgetHostFor(runtime, { trusted: trustedOutputs });
    document.body.append(output);
    const reply = await runtime.execute(code, { onOutput: (event) => output.apply(event) });
    return reply.status;
  },
  async print(code) {
    const reply = await this.runtime!.execute(code);
    return reply.outputs
      .map((output) =>
        output.output_type === 'stream' ? output.text : output.output_type === 'error' ? `${output.ename}: ${output.evalue}` : '',
      )
      .join('');
  },
  async start_run(code) {
    return (await this.runtime!.execute(code)).status;
  },
  host() {
    return widgetHostFor(this.runtime!, { trusted: trustedOutputs });
  },
  stats() {
    const comms = this.runtime!.comms;
    if (!comms || !('stats' in comms)) throw new Error('channel figures exist for the Pyodide runtime only');
    return { ...comms.stats };
  },
};
document.body.dataset['ready'] = 'true';
