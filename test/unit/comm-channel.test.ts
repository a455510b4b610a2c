// The page's CommChannel alone: one batch in flight, updates coalesced per model and key while
// Python is busy (last value wins), custom messages never dropped nor moved before earlier updates.
import { describe, expect, test } from 'vitest';
import type { CommFromKernel, CommMessage, CommToKernel } from '../../src/protocol';
import { CommChannel, type CommPort } from '../../src/runtime/comm-channel';

/** A port whose "Python" answers batches only when told to. */
function fakePort() {
  const batches: Extract<CommToKernel, { type: 'batch' }>[] = [];
  const port: CommPort = {
    postMessage: (message) => batches.push(message),
    onmessage: null,
    close: () => undefined,
  };
  const answer = (message: CommFromKernel) => port.onmessage?.(new MessageEvent('message', { data: message }));
  return { port, batches, handle: (seq: number) => answer({ type: 'handled', seq }), answer };
}

const update = (comm: string, state: Record<string, unknown>): CommMessage => ({
  msg_type: 'comm_msg',
  comm_id: comm,
  data: { method: 'update', state, buffer_paths: [] },
  metadata: {},
  buffers: [],
});
const custom = (comm: string, n: number): CommMessage => ({
  msg_type: 'comm_msg',
  comm_id: comm,
  data: { method: 'custom', content: { n } },
  metadata: {},
  buffers: [],
});
const states = (messages: CommMessage[]) => messages.map((m) => (m.data['method'] === 'update' ? m.data['state'] : m.data['content']));

describe('CommChannel', () => {
  test('1000 updates of one key while a batch is in flight become one message with the last value', () => {
    const { port, batches, handle } = fakePort();
    const channel = new CommChannel(port);
    for (let value = 1; value <= 1000; value++) channel.send(update('a', { value }));
    expect(batches.map((b) => states(b.messages))).toEqual([[{ value: 1 }]]);
    handle(1);
    expect(batches.map((b) => states(b.messages))).toEqual([[{ value: 1 }], [{ value: 1000 }]]);
    expect(channel.stats).toMatchObject({ sent: 1000, batches: 2, coalesced: 998 });
  });

  test('keys coalesce separately, models separately; other keys of an older update are kept', () => {
    const { port, batches, handle } = fakePort();
    const channel = new CommChannel(port);
    channel.send(update('a', { value: 0 }));
    channel.send(update('a', { value: 1, description: 'x' }));
    channel.send(update('b', { value: 7 }));
    channel.send(update('a', { value: 2 }));
    handle(1);
    expect(batches[1]!.messages.map((m) => [m.comm_id, m.data['state']])).toEqual([
      ['a', { description: 'x' }],
      ['b', { value: 7 }],
      ['a', { value: 2 }],
    ]);
  });

  test('custom messages are never dropped, and updates before one are not merged into updates after it', () => {
    const { port, batches, handle } = fakePort();
    const channel = new CommChannel(port);
    channel.send(update('a', { value: 0 }));
    channel.send(update('a', { value: 1 }));
    channel.send(update('a', { value: 2 }));
    channel.send(custom('a', 1));
    channel.send(custom('a', 2));
    channel.send(update('a', { value: 3 }));
    channel.send(update('a', { value: 4 }));
    handle(1);
    expect(states(batches[1]!.messages)).toEqual([{ value: 2 }, { n: 1 }, { n: 2 }, { value: 4 }]);
  });

  test('updates with binary buffers are kept whole; their buffers are transferred', () => {
    const posted: Transferable[][] = [];
    const { port, batches, handle } = fakePort();
    const original = port.postMessage;
    port.postMessage = (message, transfer) => {
      posted.push(transfer);
      original(message, transfer);
    };
    const channel = new CommChannel(port);
    channel.send(update('u', { value: 0 }));
    const buffer = new ArrayBuffer(8);
    const withBuffer: CommMessage = {
      ...update('u', { value: [{ name: 'f' }] }),
      buffers: [buffer],
      data: { method: 'update', state: { value: [{ name: 'f' }] }, buffer_paths: [['value', 0, 'content']] },
    };
    channel.send(withBuffer);
    channel.send(update('u', { value: [] }));
    handle(1);
    expect(batches[1]!.messages).toHaveLength(2);
    expect(posted[1]).toEqual([buffer]);
  });

  test('idle() settles once every message has been handled; messages from Python reach every listener in order', async () => {
    const { port, handle, answer } = fakePort();
    const channel = new CommChannel(port);
    const seen: string[] = [];
    channel.onMessage((m) => seen.push(m.comm_id));
    let idle = false;
    channel.send(update('a', { value: 1 }));
    channel.send(update('a', { value: 2 }));
    const done = channel.idle().then(() => (idle = true));
    handle(1);
    await Promise.resolve();
    expect(idle).toBe(false);
    handle(2);
    await done;
    expect(idle).toBe(true);
    answer({ type: 'comm', message: custom('x', 1) });
    answer({ type: 'comm', message: custom('y', 2) });
    expect(seen).toEqual(['x', 'y']);
  });

  test('a batch Python failed on is reported and the next one still goes', () => {
    const { port, batches, answer } = fakePort();
    const channel = new CommChannel(port);
    const errors: string[] = [];
    channel.onError = (message) => errors.push(message);
    channel.send(update('a', { value: 1 }));
    channel.send(update('a', { value: 2 }));
    answer({ type: 'handled', seq: 1, error: 'TraitError: bad value' });
    expect(errors).toEqual(['a widget message failed in Python: TraitError: bad value']);
    expect(batches).toHaveLength(2);
    channel.close();
    expect(() => channel.send(update('a', { value: 3 }))).toThrow('the comm channel is closed');
  });
});
