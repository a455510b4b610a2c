// The options of a remote runtime: which Jupyter server (by URL and token, or built by Binder) and
// which kernel. Types only, so choosing Pyodide pulls none of the remote code in.

/** A Jupyter server the page talks to (Jupyter Server, Notebook, a JupyterHub user server). */
export interface ServerSettings {
  /** The server's base URL, e.g. `http://127.0.0.1:8888/` or `https://hub.example.org/user/ada/`. */
  baseUrl: string;
  /** The websocket base URL. Default: `baseUrl` with `http` replaced by `ws`. */
  wsUrl?: string;
  /**
   * The server's token (`--ServerApp.token`, or a JupyterHub API token). Sent only to `baseUrl`
   * and `wsUrl`, as an `Authorization` header and on the kernel websocket's URL; never logged or
   * written to a notebook.
   */
  token?: string;
}

/** A BinderHub build (mybinder.org or your own). Same keys as Thebe's `binderOptions`. */
export interface BinderOptions {
  /** The repository: `org/repo` on GitHub, a URL for `git`/`gitlab`, a gist id, a DOI… */
  repo: string;
  /** Branch, tag or commit. Default `HEAD`. */
  ref?: string;
  /** The BinderHub. Default `https://mybinder.org`. */
  binderUrl?: string;
  /** BinderHub's provider: `github` (default), `gitlab`, `git`, `gist`, `zenodo`, `figshare`, `hydroshare`, `dataverse`. */
  repoProvider?: string;
  /**
   * Reuse the server a previous page load got from this build while it still answers (Binder
   * servers stop after ~10 min idle). Stored in localStorage; default on, `maxAge` 86400 s.
   */
  savedSession?: { enabled?: boolean; maxAge?: number; storagePrefix?: string };
}

export interface JupyterRuntimeOptions {
  kind: 'jupyter';
  /** The server to use. Exactly one of `serverSettings` and `binderOptions`. */
  serverSettings?: ServerSettings;
  /** Build (or reuse) a server with BinderHub. */
  binderOptions?: BinderOptions;
  /** The kernel spec to start (`python3`, …). Default: the server's default kernel. */
  kernelName?: string;
  /**
   * How long `interrupt()` waits for the cell to stop before restarting the kernel instead.
   * Default 5000 ms.
   */
  interruptGraceMs?: number;
}

/** What `ready` resolves with for a remote runtime. */
export interface RemoteInfo {
  kind: 'jupyter';
  /** The server's base URL (never with a token). */
  server: string;
  kernelName: string;
  kernelId: string;
  /** From kernel_info: e.g. `ipython`, and the language version, e.g. `3.13.5`. */
  implementation: string;
  languageVersion: string;
  /** The Binder build this server came from, and whether a saved session was reused. */
  binder?: { repo: string; reused: boolean };
}
