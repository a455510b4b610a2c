// Where package wheels come from. Every package URL decision is made here, so the offline
// cache and mirrors have one place to look.

/** The Pyodide CDN folder for exactly this Pyodide version (wheels are built per version). */
export function cdnPackageBaseUrl(pyodideVersion: string): string {
  return `https://cdn.jsdelivr.net/pyodide/v${pyodideVersion}/full/`;
}

/** A configured base (absolute or relative to `relativeTo`) or the CDN of the running version. */
export function resolvePackageBaseUrl(configured: string | undefined, pyodideVersion: string, relativeTo: string): string {
  if (configured === undefined || configured === '') return cdnPackageBaseUrl(pyodideVersion);
  const withSlash = configured.endsWith('/') ? configured : `${configured}/`;
  try {
    return new URL(withSlash, relativeTo).href;
  } catch {
    // A plain file-system path (Pyodide under Node) is not a URL and is used as is.
    return withSlash;
  }
}
