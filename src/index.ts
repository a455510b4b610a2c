// The public library API of Pyloom.
export { createRuntime, Runtime } from './runtime/runtime';
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
