// Types for the plot libraries that ship none for the entry points Pyloom imports (only what is used).
declare module 'plotly.js-dist-min' {
  interface PlotlyStatic {
    newPlot(root: HTMLElement, data: unknown[], layout?: Record<string, unknown>, config?: Record<string, unknown>): Promise<HTMLElement>;
    purge(root: HTMLElement): void;
    version: string;
  }
  const Plotly: PlotlyStatic;
  export default Plotly;
}

declare module '@bokeh/bokehjs/build/js/bokeh.esm.min.js' {
  interface BokehStatic {
    version: string;
    embed: { embed_item(item: unknown, target: HTMLElement): Promise<unknown> };
    /** The model registry: null for a name no loaded bundle defines. */
    Models: { get(name: string): unknown };
  }
  const Bokeh: BokehStatic;
  export default Bokeh;
}

declare module '@bokeh/bokehjs/build/js/bokeh-widgets.esm.min.js' {
  const plugin: unknown;
  export default plugin;
}
declare module '@bokeh/bokehjs/build/js/bokeh-tables.esm.min.js' {
  const plugin: unknown;
  export default plugin;
}
