// An anywidget view on an untrusted page: the widget's ESM runs in an iframe with
// sandbox="allow-scripts" only (an opaque origin: no access to the page's DOM, cookies, storage
// or Pyloom's runtime), its model bridged to the page's Backbone model over postMessage.
import { WidgetModel } from '@jupyter-widgets/base';
import { allowedChanges, asFrameMessage, type HostMessage } from './anywidget-protocol';
import { frameDocument } from './anywidget-frame';

/**
 * A trait value as it can cross to a frame: widget references as "IPY_MODEL_<id>" (as saved),
 * binary as ArrayBuffer/DataView (cloned by postMessage), anything unclonable left out.
 */
function clonable(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (value instanceof WidgetModel) return { ok: true, value: `IPY_MODEL_${value.model_id}` };
  if (Array.isArray(value)) {
    const items = value.map(clonable);
    return items.every((item) => item.ok) ? { ok: true, value: items.map((item) => (item.ok ? item.value : undefined)) } : { ok: false };
  }
  try {
    return { ok: true, value: structuredClone(value) };
  } catch {
    return { ok: false };
  }
}

/** `values` with every clonable entry (see clonable). */
export function snapshot(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const cloned = clonable(value);
    if (cloned.ok) out[name] = cloned.value;
  }
  return out;
}

const asArrayBuffers = (buffers: unknown): ArrayBuffer[] =>
  Array.isArray(buffers)
    ? buffers.flatMap((buffer: unknown) => {
        if (buffer instanceof ArrayBuffer) return [buffer];
        if (ArrayBuffer.isView(buffer)) return [new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice().buffer];
        return [];
      })
    : [];

/**
 * Mount the widget of `model` (its `_esm`, `_css`) in a sandboxed iframe appended to `el`.
 * Returns the disposer (removes the frame and every listener). Errors the frame reports are
 * shown under it and logged.
 */
export function mountSandboxed(model: WidgetModel, el: HTMLElement): () => void {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.className = 'pyloom-anywidget-frame';
  frame.title = `anywidget ${String(model.get('_anywidget_id') ?? '')}`.trim();
  frame.style.cssText = 'display:block;width:100%;height:0;border:0;background:transparent';
  frame.srcdoc = frameDocument();
  const context = {};
  let fromFrame = false;
  const toFrame = (message: HostMessage) => frame.contentWindow?.postMessage(message, '*');
  const showError = (text: string) => {
    const box = document.createElement('pre');
    box.className = 'anywidget-error';
    box.textContent = text;
    el.append(box);
  };

  const onMessage = (event: MessageEvent) => {
    // Only this frame (an opaque origin, so 'null'): other frames and the page itself are ignored.
    if (event.source !== frame.contentWindow || event.origin !== 'null') return;
    const message = asFrameMessage(event.data);
    if (!message) return;
    switch (message.kind) {
      case 'ready':
        toFrame({
          kind: 'init',
          esm: String(model.get('_esm') ?? ''),
          css: String(model.get('_css') ?? ''),
          state: snapshot(model.get_state(false)),
        });
        break;
      case 'save': {
        const { allowed, refused } = allowedChanges(message.changes);
        if (refused.length) console.warn(`Pyloom: a sandboxed anywidget tried to change ${refused.join(', ')}; refused`);
        fromFrame = true;
        try {
          model.set(allowed);
        } finally {
          fromFrame = false;
        }
        model.save_changes();
        break;
      }
      case 'send':
        model.send(message.content as never, {}, message.buffers);
        break;
      case 'resize':
        frame.style.height = `${message.height}px`;
        break;
      case 'error':
        console.error(`anywidget ${String(model.get('_anywidget_id') ?? '')}: ${message.message}`);
        break;
    }
  };
  window.addEventListener('message', onMessage);

  model.on(
    'change',
    () => {
      if (fromFrame) return;
      const changed = model.changedAttributes();
      if (changed) toFrame({ kind: 'change', changes: snapshot(changed) });
    },
    context,
  );
  model.on(
    'msg:custom',
    (content: unknown, buffers: unknown) => toFrame({ kind: 'custom', content, buffers: asArrayBuffers(buffers) }),
    context,
  );
  el.append(frame);
  if (!frame.contentWindow) showError('the widget frame did not open');
  return () => {
    window.removeEventListener('message', onMessage);
    model.off(null, null, context);
    frame.remove();
  };
}
