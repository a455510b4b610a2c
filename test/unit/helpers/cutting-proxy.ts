// A TCP proxy in front of a test server that breaks connections the ways networks do: both sides
// at once (the server sees the close at once), or only the page's side (a half-open link: the
// server keeps writing into a connection nobody reads), and holds new connections until released.
import { connect, createServer, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
}

export interface CuttingProxy {
  readonly port: number;
  /** New connections wait (accepted, not forwarded) until `release()`. */
  hold(): void;
  release(): void;
  /** Close every open connection on both sides. */
  cutBoth(): void;
  /** Close the page's side of every open connection; what the server still sends there is discarded. */
  cutClientSide(): void;
  /** Close the server's side of the half-open connections left by `cutClientSide`. */
  cutServerSide(): void;
  /** Resolves once the server has sent `text` into the half-open connections (it is lost). */
  discarded(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A proxy on 127.0.0.1 forwarding to `targetPort`. It listens on `port`, by default one the OS
 * picks (race-free: no other test can take it between choosing and binding); `.port` is the one it got.
 */
export async function startCuttingProxy(targetPort: number, port = 0): Promise<CuttingProxy> {
  const open = new Set<Pair>();
  const halfOpen = new Set<Socket>();
  const held: Socket[] = [];
  let holding = false;
  let lost = '';
  const lostWaiters: { text: string; resolve: () => void }[] = [];

  const forward = (client: Socket) => {
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    open.add(pair);
    client.pipe(upstream).pipe(client);
    for (const socket of [client, upstream]) {
      socket.on('close', () => open.delete(pair));
      socket.on('error', () => undefined);
    }
    client.resume();
  };
  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (holding) {
      client.pause();
      held.push(client);
    } else forward(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`the cutting proxy has no TCP address (${String(address)})`);

  return {
    port: address.port,
    hold: () => void (holding = true),
    release: () => {
      holding = false;
      for (const client of held.splice(0)) if (!client.destroyed) forward(client);
    },
    cutBoth: () => {
      for (const { client, upstream } of open) {
        client.destroy();
        upstream.destroy();
      }
    },
    cutClientSide: () => {
      for (const { client, upstream } of open) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.destroy();
        halfOpen.add(upstream);
        upstream.on('data', (chunk: Buffer) => {
          lost += chunk.toString('latin1');
          for (const waiter of [...lostWaiters]) {
            if (lost.includes(waiter.text)) {
              lostWaiters.splice(lostWaiters.indexOf(waiter), 1);
              waiter.resolve();
            }
          }
        });
        // unpipe() paused it; a 'data' listener alone does not restart a paused stream.
        upstream.resume();
      }
    },
    cutServerSide: () => {
      for (const upstream of halfOpen) upstream.destroy();
      halfOpen.clear();
    },
    discarded: (text) => (lost.includes(text) ? Promise.resolve() : new Promise((resolve) => lostWaiters.push({ text, resolve }))),
    close: async () => {
      for (const { client, upstream } of open) (client.destroy(), upstream.destroy());
      for (const socket of [...halfOpen, ...held]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
