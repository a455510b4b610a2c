// The notebook page's entry. Until the notebook UI lands this is a one-cell console on the Runtime.
import '../components/py-output';
import { askInput } from '../components/input-box';
import { createRuntime, type StatusDetail } from '../index';
import { loadDeploymentConfig } from './config';
import type { Progress } from '../protocol';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const code = $<HTMLTextAreaElement>('code');
const outputs = document.querySelector('py-output')!;
const status = $('status');
const count = $('count');

let configError = '';
const config = await loadDeploymentConfig().catch((error: unknown) => {
  configError = error instanceof Error ? error.message : String(error);
  return {};
});
const runtime = createRuntime(config);
if (configError) status.textContent = `pyloom.json ignored: ${configError}`;
runtime.addEventListener('status', (event) => {
  const { status: s, reason } = (event as CustomEvent<StatusDetail>).detail;
  status.textContent = reason && s !== 'idle' && s !== 'busy' ? `${s}: ${reason}` : s;
});
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
runtime.addEventListener('progress', (event) => {
  const p = (event as CustomEvent<Progress>).detail;
  if (p.kind === 'boot') {
    status.textContent = `starting: ${p.message} (${p.step + 1}/${p.steps})`;
  } else if (p.error) {
    status.textContent = `download failed: ${p.error}`;
  } else {
    const { loaded, total, files, done } = p.overall;
    status.textContent = done === files ? 'busy' : `downloading ${p.file}: ${megabytes(loaded)}${total ? ` of ${megabytes(total)}` : ''} (${done}/${files} files)`;
  }
});

async function run(): Promise<void> {
  outputs.clear();
  count.textContent = '[*]';
  try {
    const reply = await runtime.execute(code.value, {
      onOutput: (event) => outputs.apply(event),
      onInput: (request) => askInput($('input-area'), request),
    });
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
