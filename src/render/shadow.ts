// A rich output's own shadow root: markup with a <style> styles itself and nothing else.
import type { RenderContext } from './types';

/**
 * Untrusted HTML may carry <style> (pandas tables do). Inside its own shadow root a rule such as
 * `pre { display: none }` cannot reach the other outputs or the notices around it, and `:host`
 * means this box, whose parent output has `contain: content` (see the trust policy in registry.ts).
 * Separate roots also keep ids of different outputs from colliding.
 */
export function contained(context: RenderContext, className: string, content: Node): HTMLElement {
  const host = context.document.createElement('div');
  host.className = className;
  const root = host.attachShadow({ mode: 'open' });
  context.styleRoot(root);
  root.append(content);
  return host;
}
