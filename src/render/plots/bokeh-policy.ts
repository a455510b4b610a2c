// Which Bokeh documents may be shown on an untrusted page: no model that runs JavaScript
// (CustomJS and its kin compile strings with `new Function`) or inserts HTML (Div, HTML labels,
// templates, string tooltips). Kept apart from BokehJS so it is unit-tested alone.

/** Bokeh model names that carry code or HTML. Matched by name: new code-carrying models are named so. */
const REFUSED = /CustomJS|^Func|JS[A-Z]|HTML|Template|^Div$|^Tooltip$|^Dialog$|^Markup$|^DOMNode$/;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Every model (`{ type: 'object', name, attributes? }`) in a serialized Bokeh document. */
function* models(item: unknown): Generator<{ name: string; attributes: Record<string, unknown> }> {
  const stack: unknown[] = [item];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      stack.push(...value);
    } else if (isRecord(value)) {
      if (value['type'] === 'object' && typeof value['name'] === 'string') {
        yield { name: value['name'], attributes: isRecord(value['attributes']) ? value['attributes'] : {} };
      }
      stack.push(...Object.values(value));
    }
  }
}

/** The model names a document uses (to load the BokehJS plugins that define them). */
export function bokehModelNames(item: unknown): Set<string> {
  const names = new Set<string>();
  for (const { name } of models(item)) names.add(name);
  return names;
}

/** Why `item` (a json_item document) must not be shown untrusted, or undefined when it may. */
export function untrustedBokehProblem(item: unknown): string | undefined {
  for (const { name, attributes } of models(item)) {
    if (REFUSED.test(name)) return `the Bokeh document holds a ${name} model, which runs JavaScript or inserts HTML`;
    if (name === 'HoverTool' && typeof attributes['tooltips'] === 'string')
      return 'the Bokeh document has a HoverTool with an HTML tooltip template';
  }
  return undefined;
}
