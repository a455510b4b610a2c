// @jupyter-widgets/controls as Pyloom loads it: on untrusted pages the views that insert HTML
// (HTML, HTMLMath) put it through Pyloom's sanitizer instead of innerHTML.
import * as controls from '@jupyter-widgets/controls';
import type { WidgetManagerOptions } from './manager';

export function controlsFor(options: WidgetManagerOptions): Record<string, unknown> {
  if (options.trusted) return { ...controls };
  const safe = (markup: unknown) => options.sanitizer.html(typeof markup === 'string' ? markup : '');
  class HTMLView extends controls.HTMLView {
    override update(): void {
      super.update();
      this.content.replaceChildren(safe(this.model.get('value')));
    }
  }
  class HTMLMathView extends controls.HTMLMathView {
    override update(): void {
      super.update();
      this.content.replaceChildren(safe(this.model.get('value')));
    }
  }
  return { ...controls, HTMLView, HTMLMathView };
}
