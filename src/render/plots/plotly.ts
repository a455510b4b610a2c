// application/vnd.plotly.v1+json with plotly.js-dist-min (its own chunk, loaded on first use).
import Plotly from 'plotly.js-dist-min';
import type { Mount } from './lazy';

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Plotly writes its CSS (mode bar, hover labels) into the page's <head>; inside a shadow root
 * that never applies, so the rules are copied into the plot's own root after drawing.
 */
function copyPlotlyStyles(target: HTMLElement): void {
  const root = target.getRootNode();
  if (!(root instanceof ShadowRoot)) return;
  const rules: string[] = [];
  for (const style of target.ownerDocument.head.querySelectorAll<HTMLStyleElement>('style[id^="plotly.js-style"]')) {
    for (const rule of style.sheet?.cssRules ?? []) rules.push(rule.cssText);
  }
  let copy = root.querySelector<HTMLStyleElement>('style[data-plotly-styles]');
  if (!copy) {
    copy = target.ownerDocument.createElement('style');
    copy.dataset['plotlyStyles'] = '';
    root.prepend(copy);
  }
  copy.textContent = rules.join('\n');
}

/** `data` is plotly.py's figure dict: `{ data: trace[], layout?, config?, frames? }`. */
export const mount: Mount = async (target, data) => {
  if (!isRecord(data) || !Array.isArray(data['data'])) throw new Error('expected a Plotly figure ({"data": [...], "layout": {...}})');
  const layout = isRecord(data['layout']) ? data['layout'] : {};
  // No links to Plotly's cloud from a reader's page; the rest of the figure's config is kept.
  const config = {
    responsive: true,
    ...(isRecord(data['config']) ? data['config'] : {}),
    showLink: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
  };
  await Plotly.newPlot(target, data['data'], layout, config);
  copyPlotlyStyles(target);
};
