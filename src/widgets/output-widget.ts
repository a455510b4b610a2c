// The Output widget: its outputs (captured in Python, see pyloom/widget_capture.py) shown by a
// <py-output>, through Pyloom's renderers with the page's trust.
import { OutputModel, OutputView } from '@jupyter-widgets/output';
import '../components/py-output';
import type { Output } from '../protocol';
import type { WidgetDisplay } from '../render/types';
import type { WidgetManagerOptions } from './manager';

/** `widgets` draws widgets the Output widget's outputs show (its own manager's). */
export function outputModule(options: WidgetManagerOptions, widgets?: WidgetDisplay): Record<string, unknown> {
  class PyloomOutputView extends OutputView {
    override render(): void {
      super.render();
      this.el.classList.add('jupyter-widgets-output-area');
      const area = document.createElement('py-output');
      area.trusted = options.trusted;
      if (widgets) area.widgets = widgets;
      const show = () => {
        const outputs: unknown = this.model.get('outputs');
        area.outputs = Array.isArray(outputs) ? (outputs as Output[]) : [];
      };
      show();
      this.listenTo(this.model, 'change:outputs', show);
      this.el.append(area);
    }
  }
  return { OutputModel, OutputView: PyloomOutputView };
}
