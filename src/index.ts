// The public library API of Pyloom.
export { createRuntime, Runtime, type AnyRuntime } from './runtime/runtime';
export { JupyterRuntime } from './runtime/jupyter/runtime';
export { ServerError } from './runtime/jupyter/server-check';
export type { BinderOptions, JupyterRuntimeOptions, RemoteInfo, ServerSettings } from './runtime/jupyter/options';
export type {
  ExecuteOptions,
  ErrorDetail,
  ExecuteReply,
  InputRequest,
  OutputDetail,
  RuntimeOptions,
  RuntimeStatus,
  StatusDetail,
  WorkerLike,
} from './runtime/runtime';
export { OutputList } from './runtime/output-list';
export type * from './protocol';
export { PyOutput } from './components/py-output';
export { defaultRenderers, pickRenderer, renderBundle, renderOutput } from './render/registry';
export type { MimeRenderer, RenderContext, Sanitizer } from './render/types';
