// @jupyter-widgets/controls as Pyloom loads it: on untrusted pages the views that insert HTML
// (HTML, HTMLMath) put it through Pyloom's sanitizer; their own update() (innerHTML, which
// fires an <img onerror> at once) never runs. Descriptions go through the manager's inline_sanitize.
import * as controls from '@jupyter-widgets/controls';
import type { WidgetManagerOptions } from './manager';

export function controlsFor(options: WidgetManagerOptions): Record<string, unknown> {
  if (options.trusted) return { ...controls };
  const safe = (markup: unknown) => options.sanitizer.html(typeof markup === 'string' ? markup : '');
  // StringView.update (description, tooltip, layout) is what HTMLView.update calls after innerHTML.
  const stringUpdate = controls.StringView.prototype.update;
  class HTMLView extends controls.HTMLView {
    override update(): void {
      this.content.replaceChildren(safe(this.model.get('value')));
      stringUpdate.call(this);
    }
  }
  class HTMLMathView extends controls.HTMLMathView {
    override update(): void {
      this.content.replaceChildren(safe(this.model.get('value')));
      stringUpdate.call(this);
    }
  }
  return { ...controls, HTMLView, HTMLMathView };
}
