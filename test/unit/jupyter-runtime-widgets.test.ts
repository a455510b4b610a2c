// ipywidgets on a real Jupyter Server's IPython kernel (unpacked from the genuine wheels): comms
// between kernel and page both ways, new comms after a restart, and the Output widget capturing
// what is printed under it.
import { describe, expect, test } from 'vitest';
import type { CommMessage } from '../../src/protocol';
import { jupyterSkip, streamText, useJupyterServer } from './helpers/jupyter-runtime';
import { widgetWheelsMissing } from './helpers/widget-wheels';

const widgetsMissing = widgetWheelsMissing();
const jupyter = useJupyterServer({ widgets: !widgetsMissing });
const streamOf = (reply: { outputs: { output_type: string }[] }) => streamText(reply.outputs);

describe.skipIf(jupyterSkip)(`ipywidgets on a real Jupyter Server${jupyterSkip ? ` (skipped: ${jupyterSkip})` : ''}`, () => {
  test.skipIf(widgetsMissing)(
    `an Output widget on the remote kernel: what is printed under it (with out:, an interact callback run by a page update) becomes its outputs, not the cell's${widgetsMissing ? ` (skipped: ${widgetsMissing})` : ''}`,
    async () => {
      const runtime = jupyter.remote();
      await runtime.ready;
      const received: CommMessage[] = [];
      runtime.comms!.onMessage((message) => received.push(message));
      const opened = (model: string) =>
        received.filter((m) => m.msg_type === 'comm_open' && (m.data['state'] as Record<string, unknown>)['_model_name'] === model).at(-1)!;
      const outputsOf = (commId: string) =>
        received
          .filter((m) => m.comm_id === commId && m.msg_type === 'comm_msg' && 'outputs' in (m.data['state'] as Record<string, unknown>))
          .map((m) => (m.data['state'] as Record<string, unknown>)['outputs'])
          .at(-1);

      const reply = await runtime.execute(
        'import ipywidgets as w\nout = w.Output()\ndisplay(out)\nwith out:\n    print("inside")\n    display(w.HTML("<b>x</b>").__class__.__name__)\nprint("outside")',
      );
      expect(streamOf(reply)).toBe('outside\n');
      expect(outputsOf(opened('OutputModel').comm_id)).toEqual([
        { output_type: 'stream', name: 'stdout', text: 'inside\n' },
        { output_type: 'display_data', data: { 'text/plain': "'HTML'" }, metadata: {} },
      ]);

      const ui = await runtime.execute(
        'def f(x):\n    print("x is", x)\nui = w.interactive(f, x=w.IntSlider(value=1, max=10))\ndisplay(ui)',
      );
      expect(streamOf(ui)).toBe('');
      const slider = opened('IntSliderModel').comm_id;
      const output = opened('OutputModel').comm_id;
      expect(outputsOf(output)).toEqual([{ output_type: 'stream', name: 'stdout', text: 'x is 1\n' }]);
      await runtime.comms!.send({
        msg_type: 'comm_msg',
        comm_id: slider,
        data: { method: 'update', state: { value: 5 }, buffer_paths: [] },
        metadata: {},
        buffers: [],
      });
      expect(outputsOf(output)).toEqual([{ output_type: 'stream', name: 'stdout', text: 'x is 5\n' }]);
    },
  );

  test.skipIf(widgetsMissing)(
    `ipywidgets through ipykernel comms: a slider's comm opens to the page; a value set from the page reaches the kernel, one set in the kernel reaches the page; a restart gives new comms${widgetsMissing ? ` (skipped: ${widgetsMissing})` : ''}`,
    async () => {
      const runtime = jupyter.remote();
      await runtime.ready;
      const received: CommMessage[] = [];
      runtime.comms!.onMessage((message) => received.push(message));
      const reply = await runtime.execute(
        'import ipywidgets as w\nseen = []\nslider = w.IntSlider(value=3, max=100, description="x")\nslider.observe(lambda change: seen.append(change["new"]), names="value")\nslider',
      );
      expect(reply.status).toBe('ok');
      const open = received.find(
        (m) => m.msg_type === 'comm_open' && (m.data['state'] as Record<string, unknown>)['_model_name'] === 'IntSliderModel',
      );
      expect(open).toMatchObject({
        target_name: 'jupyter.widget',
        data: { state: { value: 3, description: 'x', _model_module: '@jupyter-widgets/controls' } },
      });
      expect(reply.outputs.at(-1)).toMatchObject({
        output_type: 'execute_result',
        data: { 'application/vnd.jupyter.widget-view+json': { model_id: open!.comm_id, version_major: 2 } },
      });

      // Page → kernel: resolves once the kernel has handled it.
      await runtime.comms!.send({
        msg_type: 'comm_msg',
        comm_id: open!.comm_id,
        data: { method: 'update', state: { value: 42 }, buffer_paths: [] },
        metadata: {},
        buffers: [],
      });
      expect(streamOf(await runtime.execute('print(slider.value, seen)'))).toBe('42 [42]\n');

      // Kernel → page.
      const before = received.length;
      await runtime.execute('slider.value = 7');
      expect(received.slice(before)).toContainEqual(
        expect.objectContaining({
          msg_type: 'comm_msg',
          comm_id: open!.comm_id,
          data: expect.objectContaining({ method: 'update', state: { value: 7 } }),
        }),
      );

      // A restart ends the kernel's widgets: a new link; the old one refuses to send.
      const old = runtime.comms!;
      const renewed = new Promise<unknown>((resolve) =>
        runtime.addEventListener('comms', (e) => resolve((e as CustomEvent<unknown>).detail), { once: true }),
      );
      await runtime.restart();
      expect(await renewed).toBe(runtime.comms);
      expect(runtime.comms).not.toBe(old);
      await expect(old.send({ msg_type: 'comm_msg', comm_id: open!.comm_id, data: {}, metadata: {}, buffers: [] })).rejects.toThrow(
        /closed/,
      );
    },
  );
});
