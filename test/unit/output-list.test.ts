// Jupyter's output-area semantics on plain data.
import { describe, expect, test } from 'vitest';
import { collapseCarriageReturns, OutputList } from '../../src/runtime/output-list';

const display = (text: string, id?: string) => ({
  output_type: 'display_data' as const,
  data: { 'text/plain': text },
  metadata: {},
  ...(id ? { transient: { display_id: id } } : {}),
});

describe('OutputList', () => {
  test('merges consecutive chunks of the same stream only', () => {
    const list = new OutputList();
    list.apply({ output_type: 'stream', name: 'stdout', text: 'a' });
    list.apply({ output_type: 'stream', name: 'stdout', text: 'b\n' });
    list.apply({ output_type: 'stream', name: 'stderr', text: 'e\n' });
    list.apply({ output_type: 'stream', name: 'stdout', text: 'c\n' });
    expect(list.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'ab\n' },
      { output_type: 'stream', name: 'stderr', text: 'e\n' },
      { output_type: 'stream', name: 'stdout', text: 'c\n' },
    ]);
  });

  test('carriage returns overwrite the line, across chunks (progress bars)', () => {
    const list = new OutputList();
    list.apply({ output_type: 'stream', name: 'stderr', text: ' 10%\r' });
    list.apply({ output_type: 'stream', name: 'stderr', text: ' 50%\r' });
    list.apply({ output_type: 'stream', name: 'stderr', text: '100%\ndone\n' });
    expect(list.outputs).toEqual([{ output_type: 'stream', name: 'stderr', text: '100%\ndone\n' }]);
    expect(collapseCarriageReturns('abc\rxy')).toBe('xy');
    expect(collapseCarriageReturns('keep\r')).toBe('keep\r');
  });

  test('stores outputs without the transient field and updates them by display id', () => {
    const list = new OutputList();
    list.apply(display('first', 'progress'));
    list.apply(display('other'));
    list.apply(display('second copy', 'progress'));
    expect(list.outputs[0]).toEqual({ output_type: 'display_data', data: { 'text/plain': 'first' }, metadata: {} });
    const changed = list.apply({
      output_type: 'update_display_data',
      data: { 'text/plain': 'updated' },
      metadata: { isolated: true },
      transient: { display_id: 'progress' },
    });
    expect(changed).toBe(true);
    expect(list.outputs.map((o) => (o.output_type === 'display_data' ? o.data['text/plain'] : ''))).toEqual([
      'updated',
      'other',
      'updated',
    ]);
    expect(list.apply({ output_type: 'update_display_data', data: {}, metadata: {}, transient: { display_id: 'unknown' } })).toBe(false);
  });

  test('clear_output now, and clear_output(wait=True) at the next output', () => {
    const list = new OutputList();
    list.apply(display('frame 1'));
    list.apply({ output_type: 'clear_output', wait: true });
    expect(list.outputs).toHaveLength(1); // no flicker: still showing frame 1
    list.apply(display('frame 2'));
    expect(list.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': 'frame 2' }, metadata: {} }]);
    list.apply({ output_type: 'clear_output', wait: false });
    expect(list.outputs).toEqual([]);
  });

  test('a cleared display id is forgotten', () => {
    const list = new OutputList();
    list.apply(display('x', 'd'));
    list.apply({ output_type: 'clear_output', wait: false });
    list.apply(display('y'));
    list.apply({ output_type: 'update_display_data', data: { 'text/plain': 'z' }, metadata: {}, transient: { display_id: 'd' } });
    expect(list.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': 'y' }, metadata: {} }]);
  });
});
