// The typed postMessage protocol between a sandboxed anywidget frame and the page, and the
// checks the page applies to what a frame sends (the frame's code is untrusted).

/** Page → frame. `state` and `changes` hold structured-clonable trait values (widget references as "IPY_MODEL_<id>"). */
export type HostMessage =
  | { kind: 'init'; esm: string; css: string; state: Record<string, unknown> }
  | { kind: 'change'; changes: Record<string, unknown> }
  | { kind: 'custom'; content: unknown; buffers: ArrayBuffer[] };

/** Frame → page. `height` is in CSS pixels. */
export type FrameMessage =
  | { kind: 'ready' }
  | { kind: 'save'; changes: Record<string, unknown> }
  | { kind: 'send'; content: unknown; buffers: ArrayBuffer[] }
  | { kind: 'resize'; height: number }
  | { kind: 'error'; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isBuffers = (value: unknown): value is ArrayBuffer[] => Array.isArray(value) && value.every((item) => item instanceof ArrayBuffer);

/**
 * Traits the frame may not change: the code and identity of the widget itself. Without this
 * rule sandboxed code could rewrite `_esm`, which a trusted page showing the same model would run.
 */
export function isProtectedTrait(name: string): boolean {
  return name === '_esm' || name === '_css' || name === '_anywidget_id' || /^_(model|view)_(name|module|module_version)$/.test(name);
}

/** The message `data` as a FrameMessage, or undefined when it has not that shape (ignored then). */
export function asFrameMessage(data: unknown): FrameMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data['kind']) {
    case 'ready':
      return { kind: 'ready' };
    case 'save':
      return isRecord(data['changes']) ? { kind: 'save', changes: data['changes'] } : undefined;
    case 'send':
      return isBuffers(data['buffers']) ? { kind: 'send', content: data['content'], buffers: data['buffers'] } : undefined;
    case 'resize': {
      const height = data['height'];
      return typeof height === 'number' && Number.isFinite(height) && height >= 0 ? { kind: 'resize', height } : undefined;
    }
    case 'error':
      return typeof data['message'] === 'string' ? { kind: 'error', message: data['message'] } : undefined;
    default:
      return undefined;
  }
}

/** The changes a frame's save_changes may apply: protected traits dropped (named in `refused`). */
export function allowedChanges(changes: Record<string, unknown>): { allowed: Record<string, unknown>; refused: string[] } {
  const allowed: Record<string, unknown> = {};
  const refused: string[] = [];
  for (const [name, value] of Object.entries(changes)) {
    if (isProtectedTrait(name)) refused.push(name);
    else allowed[name] = value;
  }
  return { allowed, refused };
}

/** Whether `esm` is a URL (anywidget's dev mode). Pyloom runs only code sent from Python, never fetched code. */
export function isEsmUrl(esm: string): boolean {
  return /^https?:\/\//i.test(esm.trim());
}
