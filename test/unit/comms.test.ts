// The comm channel end to end in Node: the real kernel (Pyodide) with the genuine ipywidgets 8.1.1,
// comm 0.2.2 and traitlets 5.9.0 wheels, and the page's CommChannel on a real MessageChannel.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CommMessage } from '../../src/protocol';
import { CommChannel } from '../../src/runtime/comm-channel';
import type { TestServer } from './helpers/http-server';
import { bootNodeKernel, type NodeKernel } from './helpers/node-kernel';
import { serveWidgetWheels, widgetWheelsMissing } from './helpers/widget-wheels';

const missing = widgetWheelsMissing();
let server: TestServer;
let kernel: NodeKernel;
let channel: CommChannel;
const received: CommMessage[] = [];

const opened = (model: string) =>
  received.find((m) => m.msg_type === 'comm_open' && (m.data['state'] as Record<string, unknown>)['_model_name'] === model);
const updatesOf = (commId: string) =>
  received.filter((m) => m.comm_id === commId && m.msg_type === 'comm_msg' && m.data['method'] === 'update');
const update = (commId: string, state: Record<string, unknown>, buffers: ArrayBuffer[] = [], bufferPaths: unknown[] = []): CommMessage => ({
  msg_type: 'comm_msg',
  comm_id: commId,
  data: { method: 'update', state, buffer_paths: bufferPaths },
  metadata: {},
  buffers,
});
const text = (outputs: { output_type: string; text?: string; data?: Record<string, unknown> }[]) =>
  outputs.map((o) => (o.output_type === 'stream' ? o.text : JSON.stringify(o.data))).join('');

describe.skipIf(missing)(`comms with the genuine widget wheels${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    server = await serveWidgetWheels();
    kernel = await bootNodeKernel({ lockFileURL: `${server.base}/lock.json`, packageBaseUrl: `${server.base}/wheels/` });
    const { port1, port2 } = new MessageChannel();
    await kernel.api.connectComms(port2);
    channel = new CommChannel(port1);
    channel.onMessage((m) => received.push(m));
  });
  afterAll(async () => {
    channel?.close();
    await server?.close();
  });

  test('a widget opens a comm to the page (target jupyter.widget) and displays its view', async () => {
    const reply = await kernel.run('import ipywidgets as w\nslider = w.IntSlider(value=3, max=1000, description="x")\nslider');
    expect(reply.status).toBe('ok');
    const open = opened('IntSliderModel');
    expect(open).toMatchObject({
      target_name: 'jupyter.widget',
      data: { state: { value: 3, description: 'x', _model_module: '@jupyter-widgets/controls' } },
    });
    expect(reply.outputs.at(-1)).toMatchObject({
      output_type: 'execute_result',
      data: { 'application/vnd.jupyter.widget-view+json': { model_id: open!.comm_id, version_major: 2 } },
    });
  });

  test('1000 slider moves sent while Python is busy: Python sees the last value; interact ran once per update it processed', async () => {
    await kernel.run(
      [
        'seen = []',
        'calls = []',
        'slider.observe(lambda change: seen.append(change["new"]), names="value")',
        'def f(x):',
        '    calls.append(x)',
        '    print("x is", x)',
        'ui = w.interactive(f, x=slider)',
        'calls.clear()',
      ].join('\n'),
    );
    const commId = opened('IntSliderModel')!.comm_id;
    const before = channel.stats.batches;
    // One turn of the page's event loop: the first update goes to Python, the rest wait and merge.
    for (let value = 1; value <= 1000; value++) channel.send(update(commId, { value }));
    await channel.idle();
    expect(channel.stats.batches - before).toBe(2);
    const check = await kernel.run('print(slider.value, seen[-1], calls == seen[-len(calls):], len(calls))');
    expect(text(check.outputs)).toBe('1000 1000 True 2\n');
    const seen = await kernel.run('print(seen)');
    expect(text(seen.outputs)).toBe('[1, 1000]\n');
    // The interact's Output widget was refreshed for each processed change, the last one showing 1000.
    const out = opened('OutputModel');
    expect(out).toBeDefined();
    const refreshed = updatesOf(out!.comm_id).filter((m) => 'outputs' in (m.data['state'] as object));
    const last = refreshed.at(-1)!.data['state'] as { outputs: { output_type: string; text?: string }[] };
    expect(text(last.outputs)).toBe('x is 1000\n');
  });

  test('Button.on_click prints into an Output widget; each click is handled under a fresh message id', async () => {
    await kernel.run(
      [
        'out = w.Output()',
        'button = w.Button(description="Go")',
        'ids = []',
        'def clicked(b):',
        '    ids.append(get_ipython_kernel().get_parent()["header"]["msg_id"])',
        '    with out:',
        '        print("clicked", len(ids))',
        'import comm',
        'get_ipython_kernel = lambda: out.comm.kernel',
        'button.on_click(clicked)',
      ].join('\n'),
    );
    const button = opened('ButtonModel')!.comm_id;
    const out = received
      .filter((m) => m.msg_type === 'comm_open' && (m.data['state'] as Record<string, unknown>)['_model_name'] === 'OutputModel')
      .at(-1)!.comm_id;
    const click: CommMessage = {
      msg_type: 'comm_msg',
      comm_id: button,
      data: { method: 'custom', content: { event: 'click' } },
      metadata: {},
      buffers: [],
    };
    channel.send(click);
    channel.send(click);
    await channel.idle();
    const states = updatesOf(out).map((m) => m.data['state'] as { outputs?: { output_type: string; text?: string }[]; msg_id?: string });
    const outputs = states.filter((s) => s.outputs).at(-1)!.outputs!;
    expect(text(outputs)).toBe('clicked 1\nclicked 2\n');
    const msgIds = states.flatMap((s) => (s.msg_id ? [s.msg_id] : []));
    expect(new Set(msgIds).size).toBe(2);
    const ids = await kernel.run('print(len(set(ids)), ids[0] != ids[1])');
    expect(text(ids.outputs)).toBe('2 True\n');
  });

  test('FileUpload: bytes sent as a transferred buffer reach Python with the same sha256', async () => {
    await kernel.run('upload = w.FileUpload()');
    const commId = opened('FileUploadModel')!.comm_id;
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
    const expected = createHash('sha256').update(bytes).digest('hex');
    const file = { name: 'cat.png', type: 'image/png', size: bytes.length, last_modified: 0 };
    const buffer = bytes.slice().buffer;
    channel.send(update(commId, { value: [file] }, [buffer], [['value', 0, 'content']]));
    expect(buffer.byteLength).toBe(0); // transferred, not copied
    await channel.idle();
    const reply = await kernel.run('import hashlib\nf = upload.value[0]\nprint(f.name, f.size, hashlib.sha256(f.content).hexdigest())');
    expect(text(reply.outputs)).toBe(`cat.png ${bytes.length} ${expected}\n`);
  });

  test('binary state from Python arrives as buffers (an Image widget)', async () => {
    await kernel.run('image = w.Image(value=bytes(range(256)) * 4, format="png")');
    const open = opened('ImageModel')!;
    expect(open.buffers.length).toBe(1);
    expect(Array.from(new Uint8Array(open.buffers[0]!)).slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(open.buffers[0]!.byteLength).toBe(1024);
    expect(open.data['buffer_paths']).toEqual([['value']]);
  });

  test('a message for a closed comm is ignored with a warning on stderr; Python keeps working', async () => {
    await kernel.run('gone = w.IntSlider()');
    const commId = opened('IntSliderModel') && received.filter((m) => m.msg_type === 'comm_open').at(-1)!.comm_id;
    await kernel.run('gone.close()');
    expect(received.some((m) => m.msg_type === 'comm_close' && m.comm_id === commId)).toBe(true);
    const stderrBefore = kernel.events.length;
    channel.send(update(commId!, { value: 5 }));
    await channel.idle();
    const warnings = kernel.events
      .slice(stderrBefore)
      .flatMap((e) => (e.type === 'output' && e.event.output_type === 'stream' && e.event.name === 'stderr' ? [e.event.text] : []));
    expect(warnings.join('')).toContain(`a comm_msg for comm ${commId}, which is closed, was ignored`);
    expect(text((await kernel.run('print(1 + 1)')).outputs)).toBe('2\n');
  });

  test('the kernel stand-in: comm_manager is comm.get_comm_manager(), a fresh parent id per cell', async () => {
    await kernel.run('import comm\nk = out.comm.kernel\nfirst = k.get_parent()["header"]["msg_id"]');
    const reply = await kernel.run(
      'print(k.comm_manager is comm.get_comm_manager(), k.get_parent()["header"]["msg_id"] != first, k.session.session != "")',
    );
    expect(text(reply.outputs)).toBe('True True True\n');
  });
});
