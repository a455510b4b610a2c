// The Python side as the worker sees it: pyloom's shell and package calls.
import type { CompletionResult, InstallResult } from '../src/protocol';

export interface PyPackages {
  install_for_js(names: string[]): Promise<{ toJs(options: object): InstallResult; destroy(): void }>;
}

export interface PyShell {
  run_cell(code: string): Promise<{ toJs(opts: object): unknown; destroy(): void }>;
  interrupt(): boolean;
  /** Offsets in code points (Python string indices). */
  complete(code: string, cursor: number): { toJs(opts: object): CompletionResult; destroy(): void };
  readonly execution_count: number;
}
