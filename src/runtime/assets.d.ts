// Resolved by the Vite plugin in vite.config.ts: where the bundled Pyodide core and the pyloom
// wheel are served from, as absolute URLs (valid on whatever page the script runs in).
declare module 'virtual:pyloom-assets' {
  export const pyodideIndexURL: string;
  export const pyloomWheelURL: string;
}
