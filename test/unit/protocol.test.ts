// The Comlink boundary, checked at the type level (tsc runs this file in `npm run typecheck`):
// the kernel's code (its type is inferred, not annotated) takes exactly the arguments and gives
// exactly the replies WorkerApi declares, method by method, and the page's Comlink view of
// WorkerApi takes what the page sends. A change on one side that the other does not follow fails.
import { proxy, type Remote } from 'comlink';
import { describe, expectTypeOf, test } from 'vitest';
import type {
  BootInfo,
  BootOptions,
  Callback,
  CompletionRequest,
  CompletionResult,
  ExecuteAck,
  ExecuteRequest,
  Health,
  InstallResult,
  WorkerApi,
  WorkerEvent,
} from '../../src/protocol';
import { createKernel, type Kernel } from '../../worker/kernel';

/** Compared whole ([A] extends [B]), so unions such as boolean or Health are not distributed. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Fn = (...args: never[]) => unknown;
type Method<T, K extends keyof T> = T[K] extends Fn ? T[K] : never;
type Implementation = ReturnType<typeof createKernel>;
type AllTrue<T> = { [K in keyof T]: true };

describe('worker protocol', () => {
  test('every WorkerApi method: the kernel takes the same arguments and gives the same reply', () => {
    type Arguments = { [K in keyof WorkerApi]: Same<Parameters<Method<Implementation, K>>, Parameters<Method<WorkerApi, K>>> };
    type Replies = {
      [K in keyof WorkerApi]: Same<Awaited<ReturnType<Method<Implementation, K>>>, Awaited<ReturnType<Method<WorkerApi, K>>>>;
    };
    expectTypeOf<Arguments>().toEqualTypeOf<AllTrue<WorkerApi>>();
    expectTypeOf<Replies>().toEqualTypeOf<AllTrue<WorkerApi>>();
    // Nothing beyond WorkerApi but dispose(), which is the owner's (tests, the worker entry).
    expectTypeOf<Exclude<keyof Implementation, keyof WorkerApi>>().toEqualTypeOf<'dispose'>();
    expectTypeOf<Implementation>().toExtend<Kernel>();
  });

  test('the checks can fail: a drifted method is told apart', () => {
    type Drifted = Omit<WorkerApi, 'execute'> & { execute(request: ExecuteRequest, extra: number): Promise<ExecuteAck> };
    type Arguments = { [K in keyof WorkerApi]: Same<Parameters<Method<Drifted, K>>, Parameters<Method<WorkerApi, K>>> };
    expectTypeOf<Arguments['execute']>().toEqualTypeOf<false>();
    expectTypeOf<Arguments['boot']>().toEqualTypeOf<true>();
  });

  test('the page sends, through Comlink, the arguments the kernel takes', () => {
    type Page = Remote<WorkerApi>;
    expectTypeOf<Parameters<Page['boot']>[0]>().toEqualTypeOf<BootOptions>();
    // The event sink crosses as a Comlink proxy of the protocol's callback.
    expectTypeOf(proxy<Callback<WorkerEvent>>(() => undefined)).toExtend<Parameters<Page['boot']>[1]>();
    expectTypeOf<Parameters<Page['execute']>>().toEqualTypeOf<[ExecuteRequest]>();
    expectTypeOf<Parameters<Page['interrupt']>>().toEqualTypeOf<[number]>();
    expectTypeOf<Parameters<Page['installPackages']>>().toEqualTypeOf<[string[]]>();
    expectTypeOf<Parameters<Page['complete']>>().toEqualTypeOf<[CompletionRequest]>();
    expectTypeOf<Parameters<Page['ping']>>().toEqualTypeOf<[]>();
  });

  test('the page sees the same replies through Comlink', () => {
    type Page = Remote<WorkerApi>;
    type Reply<K extends keyof Page> = Page[K] extends (...args: never[]) => infer R ? Awaited<R> : never;
    expectTypeOf<Same<Reply<'boot'>, BootInfo>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'execute'>, ExecuteAck>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'interrupt'>, boolean>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'installPackages'>, InstallResult>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'ping'>, Health>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'complete'>, CompletionResult>>().toEqualTypeOf<true>();
    expectTypeOf<Same<Reply<'ping'>, ExecuteAck>>().toEqualTypeOf<false>();
  });
});
