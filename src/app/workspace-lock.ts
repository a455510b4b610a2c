// Two tabs, one workspace: the tab holding the Web Lock writes; another opens read-only and can
// ask to take over. The owner saves Python's pending changes and goes read-only before it lets
// go, so the taker reads a complete workspace and no write is lost.

const LOCK = 'pyloom-workspace';
const CHANNEL = 'pyloom-workspace';

export interface WorkspaceLock {
  /** True while this tab owns the workspace. */
  readonly owned: boolean;
  /**
   * Ask the owning tab to let go and wait until this tab holds the lock (the other tab saves
   * first). Resolves when this tab owns the workspace.
   */
  takeOver(): Promise<void>;
  /**
   * `beforeRelease`: run when another tab takes over, before the lock is released (save, go
   * read-only). `onChange`: this tab gained or lost the workspace.
   */
  connect(hooks: { beforeRelease: () => Promise<void>; onChange: (owned: boolean) => void }): void;
}

/** Try to own the workspace now (never waits for another tab). */
export async function acquireWorkspaceLock(): Promise<WorkspaceLock> {
  const locks = globalThis.navigator?.locks;
  // Without Web Locks (very old browsers) every tab writes, as before.
  if (!locks) return { owned: true, takeOver: async () => undefined, connect: () => undefined };
  const channel = new BroadcastChannel(CHANNEL);
  let owned = false;
  let hooks: Parameters<WorkspaceLock['connect']>[0] | undefined;
  let release: (() => void) | undefined;
  const hold = (): Promise<void> =>
    new Promise<void>((resolve) => {
      owned = true;
      release = resolve;
    });
  const granted = await new Promise<boolean>((answer) => {
    void locks.request(LOCK, { ifAvailable: true }, (lock) => {
      answer(lock !== null);
      return lock ? hold() : undefined;
    });
  });
  channel.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.data !== 'take-over' || !owned || !release) return;
    const letGo = release;
    release = undefined;
    void (hooks?.beforeRelease() ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        owned = false;
        letGo();
        hooks?.onChange(false);
      });
  });
  return {
    get owned() {
      return owned;
    },
    async takeOver() {
      if (owned) return;
      const waiting = new Promise<void>((acquired) => {
        void locks.request(LOCK, () => {
          acquired();
          return hold();
        });
      });
      channel.postMessage('take-over');
      await waiting;
      hooks?.onChange(true);
    },
    connect(next) {
      hooks = next;
      if (!granted) next.onChange(false);
    },
  };
}
