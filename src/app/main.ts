// The notebook page's entry. Until the notebook UI lands this is a one-cell console on the Runtime.
import { createRuntime, type StatusDetail } from '../index';
import type { BootProgress, Output } from '../protocol';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const code = $<HTMLTextAreaElement>('code');
const outputs = $('outputs');
const status = $('status');
const count = $('count');

const runtime = createRuntime();
runtime.addEventListener('status', (event) => {
  const { status: s, reason } = (event as CustomEvent<StatusDetail>).detail;
  status.textContent = reason && s !== 'idle' && s !== 'busy' ? `${s}: ${reason}` : s;
});
runtime.addEventListener('progress', (event) => {
  const p = (event as CustomEvent<BootProgress>).detail;
  status.textContent = `starting: ${p.message} (${p.step + 1}/${p.steps})`;
});

// ANSI colour codes are stripped here; the rich renderer shows them in colour.
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

function show(list: readonly Output[]): void {
  outputs.replaceChildren(
    ...list.map((output) => {
      const pre = document.createElement('pre');
      switch (output.output_type) {
        case 'stream':
          pre.className = output.name;
          pre.textContent = output.text;
          break;
        case 'error':
          pre.className = 'error';
          pre.textContent = stripAnsi(output.traceback.join('\n'));
          break;
        default:
          pre.textContent = String(output.data['text/plain'] ?? '');
      }
      return pre;
    }),
  );
}

async function run(): Promise<void> {
  outputs.replaceChildren();
  count.textContent = '[*]';
  try {
    const reply = await runtime.execute(code.value, { onOutput: (_event, list) => show(list) });
    show(reply.outputs);
    count.textContent = reply.executionCount === null ? '' : `[${reply.executionCount}]`;
  } catch (error) {
    count.textContent = '';
    status.textContent = error instanceof Error ? error.message : String(error);
  }
}

$('run').addEventListener('click', () => void run());
$('interrupt').addEventListener('click', () => void runtime.interrupt());
$('restart').addEventListener('click', () => void runtime.restart());
code.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && event.shiftKey) {
    event.preventDefault();
    void run();
  }
});
