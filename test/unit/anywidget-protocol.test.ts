// The page's checks on what a sandboxed anywidget frame sends (its code is untrusted).
import { describe, expect, it } from 'vitest';
import { allowedChanges, asFrameMessage, isEsmUrl, isProtectedTrait } from '../../src/widgets/anywidget-protocol';

describe('anywidget frame protocol', () => {
  it('accepts the frame messages of the protocol and nothing else', () => {
    const buffer = new ArrayBuffer(4);
    expect(asFrameMessage({ kind: 'ready' })).toEqual({ kind: 'ready' });
    expect(asFrameMessage({ kind: 'save', changes: { value: 3 } })).toEqual({ kind: 'save', changes: { value: 3 } });
    expect(asFrameMessage({ kind: 'send', content: { a: 1 }, buffers: [buffer] })).toEqual({
      kind: 'send',
      content: { a: 1 },
      buffers: [buffer],
    });
    expect(asFrameMessage({ kind: 'resize', height: 120 })).toEqual({ kind: 'resize', height: 120 });
    expect(asFrameMessage({ kind: 'error', message: 'boom' })).toEqual({ kind: 'error', message: 'boom' });
    for (const bad of [
      null,
      'ready',
      [],
      { kind: 'eval', code: '1' },
      { kind: 'save', changes: [1] },
      { kind: 'send', content: 1, buffers: ['x'] },
      { kind: 'resize', height: -1 },
      { kind: 'resize', height: Number.POSITIVE_INFINITY },
      { kind: 'resize', height: '9' },
      { kind: 'error' },
    ]) {
      expect(asFrameMessage(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it("refuses changes to the widget's code and identity, keeps the rest", () => {
    expect(
      allowedChanges({ value: 1, _esm: 'x', _css: 'y', _anywidget_id: 'z', _model_module: 'm', _view_name: 'v', _private: 2 }),
    ).toEqual({
      allowed: { value: 1, _private: 2 },
      refused: ['_esm', '_css', '_anywidget_id', '_model_module', '_view_name'],
    });
    expect(isProtectedTrait('_dom_classes')).toBe(false);
  });

  it('tells an ESM URL (never fetched) from ESM source', () => {
    expect(isEsmUrl(' https://cdn.example/w.js')).toBe(true);
    expect(isEsmUrl('HTTP://x/w.js')).toBe(true);
    expect(isEsmUrl('export default { render() {} }')).toBe(false);
    expect(isEsmUrl('// see https://anywidget.dev\nexport default {}')).toBe(false);
  });
});
