// The remote runtime: the Runtime API (queue, execute, interrupt, restart, dispose, complete,
// input, status and progress events) on a kernel of a Jupyter server or a Binder. Small and
// eager; the Jupyter client library (kernel-client.ts) and the Binder client load when used.
import type { BootPhase, BootProgress, CompletionResult } from '../../protocol';
import { JobQueue, type ErrorDetail, type ExecuteOptions, type ExecuteReply, type RuntimeStatus } from '../jobs';
import type { ConnectionState, KernelClient, KernelState } from './kernel-client';
import type { CommLink } from '../comm-link';
import type { ClosableCommLink } from './comms';
import type { JupyterRuntimeOptions, RemoteInfo, ServerSettings } from './options';
import { checkServer, describeError, normalizeBaseUrl } from './server-check';

const GAP =
  'Pyloom: the connection to the Jupyter server dropped while this cell ran; output produced while the connection was down may be lost.\n';
const LOST =
  'Pyloom: the connection to the Jupyter server dropped while this cell ran and its result did not arrive; the kernel may have finished it. Outputs above are what arrived.\n';

/**
 * A kernel on a Jupyter server, with the same surface as the Pyodide `Runtime`. Events:
 * `status` (StatusDetail), `progress` (BootProgress: Binder build log lines, connecting, starting
 * the kernel), `output` (OutputDetail), `error` (ErrorDetail: the connection dropped and is being
 * re-established, with back-off, by @jupyterlab/services), `comms` (CustomEvent<CommLink>: the
 * comms of a new kernel process, at start and after each restart; widgets follow it).
 */
/** How often, and how many times, a kernel restarted by the server is asked whether it answers. */
const NUDGE_INTERVAL_MS = 2000;
const NUDGE_ATTEMPTS = 30;

export class JupyterRuntime extends EventTarget {
  readonly kind = 'jupyter';
  #options: JupyterRuntimeOptions;
  #client: KernelClient | undefined;
  #settings: ServerSettings | undefined;
  /** Jobs are cells' code. */
  #jobs = new JobQueue<string>(this);
  #disposed = false;
  #ready!: Promise<RemoteInfo>;
  #info: RemoteInfo | undefined;
  /** Set while a restart (ours or the server's) reconnects: those connection changes are expected. */
  #restarting = false;
  #wasConnected = false;
  #comms: ClosableCommLink | undefined;
  /** Everything the Binder build said, for pages that show the whole log. */
  readonly binderLog: string[] = [];

  constructor(options: JupyterRuntimeOptions) {
    super();
    if (!options.serverSettings && !options.binderOptions)
      throw new Error("createRuntime({ kind: 'jupyter' }) needs serverSettings ({ baseUrl, token }) or binderOptions ({ repo })");
    this.#options = options;
    // A page that goes away (not into the back/forward cache) shuts its kernel down: otherwise
    // every reload would leave a kernel running on the server until it is culled.
    globalThis.addEventListener?.('pagehide', this.#onPageHide);
    this.#ready = this.#start();
    // Callers that never await `ready` still see the failure through status events.
    this.#ready.catch(() => undefined);
  }

  get status(): RuntimeStatus {
    return this.#jobs.status;
  }
  get reason(): string | undefined {
    return this.#jobs.reason;
  }
  get ready(): Promise<RemoteInfo> {
    return this.#ready;
  }
  get bootInfo(): RemoteInfo | undefined {
    return this.#info;
  }
  /** The kernel's comms (ipywidgets), the same surface as the Pyodide runtime's; undefined until started and once dead. */
  get comms(): CommLink | undefined {
    return this.#jobs.status === 'dead' ? undefined : this.#comms;
  }
  get queued(): number {
    return this.#jobs.queued;
  }
  /** Where code runs, for status bars: "Jupyter server 127.0.0.1:8888 (python3)". */
  get where(): string {
    const binder = this.#options.binderOptions;
    const host = this.#settings ? new URL(normalizeBaseUrl(this.#settings.baseUrl)).host : undefined;
    const kernel = this.#info?.kernelName ?? this.#options.kernelName;
    const place = binder ? `Binder ${binder.repo}${host ? ` (${host})` : ''}` : `Jupyter server ${host ?? ''}`;
    return kernel ? `${place}, kernel ${kernel}` : place;
  }

  execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteReply> {
    if (this.#jobs.status === 'dead') return Promise.reject(new Error(this.#deadMessage()));
    const reply = this.#jobs.add(code, options);
    this.#pump();
    return reply;
  }

  /** `%pip install` on the server (the kernel's environment). Resolves with the names; rejects with pip's output. */
  async installPackages(names: string[], options: Pick<ExecuteOptions, 'onProgress'> = {}): Promise<string[]> {
    const quoted = names.map((name) => `'${name.replace(/'/g, '')}'`).join(' ');
    const reply = await this.execute(`%pip install -q ${quoted}`, options);
    const text = reply.outputs.map((o) => (o.output_type === 'stream' ? o.text : o.output_type === 'error' ? o.evalue : '')).join('');
    if (reply.status !== 'ok' || /ERROR:/.test(text))
      throw new Error(`pip could not install ${names.join(', ')} on the server: ${text.trim() || reply.status}`);
    return names;
  }

  /** Completions from the kernel (IPython's completer). Never queued, never rejects; no items unless idle. */
  async complete(code: string, cursor: number): Promise<CompletionResult> {
    const empty: CompletionResult = { from: cursor, to: cursor, items: [] };
    if (this.#jobs.status !== 'idle' || this.#jobs.running || !this.#client) return empty;
    return this.#client.complete(code, cursor).catch(() => empty);
  }

  /**
   * Interrupt the kernel (SIGINT: the cell ends with KeyboardInterrupt, variables kept). If the cell
   * has not stopped within `interruptGraceMs` the kernel is restarted (variables lost).
   */
  async interrupt(): Promise<'interrupted' | 'restarted' | 'idle'> {
    const job = this.#jobs.running;
    const client = this.#client;
    if (!job || !client) return 'idle';
    await client.interrupt().catch(() => undefined);
    if (await this.#jobs.settlesWithin(job, this.#options.interruptGraceMs ?? 5000)) return 'interrupted';
    await this.restart('kernel restarted to stop the running cell: variables were lost').catch(() => undefined);
    return 'restarted';
  }

  /** Restart the kernel (same server; a dead runtime connects afresh). Running and queued cells end as 'aborted'. */
  restart(reason = 'kernel restarted'): Promise<RemoteInfo> {
    if (this.#disposed) return Promise.reject(new Error('this runtime was disposed; create a new one'));
    this.#jobs.abortAll();
    const client = this.#client;
    if (!client || this.#jobs.status === 'dead') {
      this.#client?.dispose();
      this.#client = undefined;
      this.#jobs.reason = reason;
      this.#ready = this.#start();
      this.#ready.catch(() => undefined);
      return this.#ready;
    }
    this.#restarting = true;
    this.#jobs.setStatus('starting', reason);
    this.#ready = client.restart().then(
      () => {
        this.#restarting = false;
        if (this.#client === client) {
          this.#renewComms(client);
          this.#jobs.setStatus('idle');
        }
        this.#pump();
        return this.#info!;
      },
      (error: unknown) => {
        this.#restarting = false;
        const message = `the kernel could not be restarted: ${describeError(error, this.#settings?.token)}`;
        this.#die(message);
        throw new Error(message);
      },
    );
    this.#ready.catch(() => undefined);
    return this.#ready;
  }

  /** Shut the kernel down and close the connection. Pending cells end as 'aborted'. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    globalThis.removeEventListener?.('pagehide', this.#onPageHide);
    this.#jobs.abortAll();
    this.#comms?.close();
    this.#comms = undefined;
    void this.#client?.shutdown().catch(() => undefined);
    this.#client = undefined;
    this.#jobs.setStatus('dead', 'runtime disposed');
  }

  // ---------------------------------------------------------------------------------------
  #onPageHide = (event: Event): void => {
    if ('persisted' in event && event.persisted === true) return;
    this.#client?.shutdownOnUnload();
  };

  #progress(phase: BootPhase, message: string): void {
    const phases: BootPhase[] = [...(this.#options.binderOptions ? (['binder-build'] as const) : []), 'connect-server', 'start-kernel'];
    const detail: BootProgress = { kind: 'boot', phase, message, step: Math.max(0, phases.indexOf(phase)), steps: phases.length };
    this.dispatchEvent(new CustomEvent<BootProgress>('progress', { detail }));
  }

  async #start(): Promise<RemoteInfo> {
    this.#jobs.setStatus('starting', this.#jobs.reason);
    const options = this.#options;
    try {
      let reused = false;
      if (options.binderOptions) {
        this.#progress('binder-build', `Binder: asking for ${options.binderOptions.repo}`);
        const { binderServer } = await import('./binder');
        const got = await binderServer(options.binderOptions, (event) => {
          if (event.message) this.binderLog.push(event.message.replace(/\n$/, ''));
          this.#progress('binder-build', `Binder ${event.phase}: ${event.message.trim().split('\n').pop() ?? ''}`);
        });
        this.#settings = got.settings;
        reused = got.reused;
      } else {
        this.#settings = options.serverSettings;
      }
      const settings = this.#settings!;
      this.#progress('connect-server', `Connecting to ${normalizeBaseUrl(settings.baseUrl)}`);
      await checkServer(settings);
      this.#progress('start-kernel', `Starting kernel ${options.kernelName ?? '(server default)'}`);
      const { startKernel } = await import('./kernel-client');
      // Events of the kernel's own start (before startKernel resolves) are not this runtime's to act
      // on: its status is set below, once the kernel answered.
      let started: KernelClient | undefined;
      const client = await startKernel(settings, options.kernelName, {
        onState: (state) => started && this.#onKernelState(started, state),
        onConnection: (state) => started && this.#onConnection(started, state),
      });
      started = client;
      if (this.#disposed) {
        void client.shutdown().catch(() => undefined);
        throw new Error('this runtime was disposed while it started');
      }
      this.#client = client;
      this.#wasConnected = true; // kernel_info was answered over the websocket
      this.#renewComms(client);
      const info: RemoteInfo = {
        kind: 'jupyter',
        server: normalizeBaseUrl(settings.baseUrl),
        kernelName: client.name,
        kernelId: client.id,
        implementation: client.implementation,
        languageVersion: client.languageVersion,
        ...(options.binderOptions ? { binder: { repo: options.binderOptions.repo, reused } } : {}),
      };
      this.#info = info;
      this.#jobs.setStatus('idle');
      this.#pump();
      return info;
    } catch (error) {
      const message = describeError(error, this.#settings?.token);
      this.#die(message);
      throw error instanceof Error && error.message === message ? error : new Error(message);
    }
  }

  #onKernelState(client: KernelClient, state: KernelState): void {
    if (this.#client !== client || this.#disposed) return;
    if (state === 'autorestarting') {
      // The kernel process died (a crash, os._exit, out of memory); the server starts a new one.
      this.#restarting = true;
      const error = new Error('the kernel died while running this cell; the server restarted it and its variables were lost');
      this.#jobs.rejectAll(error);
      this.#renewComms(client);
      this.#jobs.setStatus('starting', 'the kernel died; the server restarted it (variables were lost)');
    } else if (state === 'dead' && !this.#restarting) {
      this.#die('the kernel died and the server could not restart it');
    }
  }

  #onConnection(client: KernelClient, state: ConnectionState): void {
    if (this.#client !== client || this.#disposed) return;
    if (state === 'connected') {
      const dropped = this.#wasConnected && !this.#restarting;
      this.#wasConnected = true;
      if (this.#restarting && this.#jobs.status === 'starting' && !this.#jobs.running) {
        void this.#afterAutorestart(client);
      } else if (dropped) {
        void this.#afterReconnect(client);
      }
    } else if (state === 'connecting' && this.#wasConnected && !this.#restarting) {
      const running = this.#jobs.running ? ' The running cell keeps going on the server; its result may be lost.' : '';
      this.dispatchEvent(
        new CustomEvent<ErrorDetail>('error', {
          detail: { message: `The connection to the Jupyter server dropped; reconnecting.${running}` },
        }),
      );
    } else if (state === 'disconnected' && !this.#restarting) {
      this.#die(`lost the connection to the Jupyter server at ${this.#info?.server ?? 'its URL'} and could not reconnect`);
    }
  }

  /**
   * The server's automatic restart is done once the new kernel answers over the new websocket. An
   * open socket is not enough: the server's iopub subscription to the new kernel can miss its first
   * messages, and a cell sent then never sees its idle status (seen: a hang after os._exit, 1 run
   * in 2). So ask kernel_info, which completes only with iopub's idle, again until answered, as
   * Jupyter Server's own "nudge" does.
   */
  async #afterAutorestart(client: KernelClient): Promise<void> {
    for (let attempt = 0; attempt < NUDGE_ATTEMPTS; attempt++) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const answered = await Promise.race([
        client.ping().then(
          () => true,
          () => false,
        ),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), NUDGE_INTERVAL_MS))),
      ]);
      clearTimeout(timer);
      if (this.#client !== client || this.#disposed || !this.#restarting) return;
      if (answered) {
        this.#restarting = false;
        this.#jobs.setStatus('idle');
        this.#pump();
        return;
      }
    }
    this.#restarting = false;
    this.#die(`the kernel restarted by the server did not answer within ${(NUDGE_ATTEMPTS * NUDGE_INTERVAL_MS) / 1000} s`);
  }

  /**
   * The server replays what it buffered while the websocket was down. A kernel_info round trip is
   * answered after any reply sent before it, so a cell still unanswered then lost its reply.
   */
  async #afterReconnect(client: KernelClient): Promise<void> {
    const job = this.#jobs.running;
    if (!job) return;
    await client.ping().catch(() => undefined);
    if (this.#jobs.running !== job || this.#client !== client) return;
    this.#jobs.output(job.id, { output_type: 'stream', name: 'stderr', text: LOST });
    this.#jobs.finish(job, { status: 'aborted', executionCount: null });
    this.#pump();
  }

  #pump(): void {
    const client = this.#client;
    if (this.#jobs.running || this.#jobs.status === 'dead' || this.#restarting || !client) return;
    const job = this.#jobs.next();
    if (!job) {
      if (this.#jobs.status !== 'idle') this.#jobs.setStatus('idle');
      return;
    }
    const onInput = job.options.onInput;
    client
      .execute(job.work, {
        onOutput: (event) => {
          if (this.#jobs.running === job) this.#jobs.output(job.id, event);
        },
        onInput: async (request) => {
          const answer = onInput ? await onInput(request) : undefined;
          // As the Pyodide runtime (and Jupyter's input box) show it: the prompt and the answer stay.
          const echo = request.password ? `${request.prompt}\n` : `${request.prompt}${answer}\n`;
          if (answer !== undefined && this.#jobs.running === job)
            this.#jobs.output(job.id, { output_type: 'stream', name: 'stdout', text: echo });
          return answer;
        },
      })
      .then(
        (ack) => {
          if (this.#jobs.running !== job) return; // aborted by a restart, or lost in a reconnect
          if (ack.mayHaveLost) this.#jobs.output(job.id, { output_type: 'stream', name: 'stderr', text: GAP });
          if (this.#jobs.finish(job, ack)) this.#pump();
        },
        (error: unknown) => {
          const message = `the kernel connection failed while running this cell: ${describeError(error, this.#settings?.token)}`;
          if (this.#jobs.fail(job, new Error(message))) this.#pump();
        },
      );
  }

  /** A new kernel process: its comms start empty (the old widgets are gone with the old process). */
  #renewComms(client: KernelClient): void {
    this.#comms?.close();
    this.#comms = client.comms();
    this.dispatchEvent(new CustomEvent<CommLink>('comms', { detail: this.#comms }));
  }

  #die(reason: string): void {
    if (this.#jobs.status === 'dead') return;
    this.#jobs.rejectAll(new Error(`the Jupyter kernel is not available: ${reason}. Restart to try again.`));
    this.#comms?.close();
    this.#comms = undefined;
    this.#client?.dispose();
    this.#client = undefined;
    this.#jobs.setStatus('dead', reason);
  }

  #deadMessage(): string {
    return this.#disposed
      ? 'this runtime was disposed; create a new one'
      : `the Jupyter kernel is not available (${this.#jobs.reason ?? 'unknown reason'}); call restart() to try again`;
  }
}
