import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Koa from "koa";

/**
 * Owns the listening socket. Shutting down is two steps, so that no client ever sends a request on
 * a connection the server is about to close (a reset POST leaves the client not knowing whether it
 * was applied):
 * 1. `drain()`: every response from then on — including those of requests already in flight —
 *    says `Connection: close`, and the server closes each connection once its response is written.
 *    Clients open a fresh connection for their next request instead of reusing this one.
 * 2. `stop()`: no new connections; connections left idle (not used since the drain began) are
 *    closed, in-flight requests are given `shutdownTimeoutMs` to finish before their sockets are cut.
 * Readiness turns 503 when the drain begins; the delay between the steps lets load balancers notice.
 */
export class HttpServer {
  private server: Server | undefined;
  readonly #inFlight = new Set<ServerResponse>();
  #draining = false;

  constructor(
    private readonly app: Koa<never> | Koa,
    private readonly host: string,
    private readonly port: number,
    private readonly shutdownTimeoutMs: number,
  ) {}

  async start(): Promise<AddressInfo> {
    const handle = this.app.callback();
    const server = createServer((req, res) => {
      this.#inFlight.add(res);
      res.once("close", () => this.#inFlight.delete(res));
      if (this.#draining) closeAfter(res);
      handle(req, res);
    });
    server.keepAliveTimeout = 65_000; // above common load balancers' idle timeout (60 s)
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, this.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    return server.address() as AddressInfo;
  }

  address(): AddressInfo {
    if (this.server === undefined) throw new Error("the HTTP server is not started");
    return this.server.address() as AddressInfo;
  }

  /**
   * From now on each response closes its connection. Idle connections are left open on purpose: a
   * client may be writing a request on one this very moment, and closing it would reset that
   * request. Their next response closes them; `stop()` closes those never used again.
   */
  drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    for (const res of this.#inFlight) if (!res.headersSent) closeAfter(res);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.drain();
    this.server = undefined;
    // Since Node 19, close() also closes the connections idle at this moment.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A response already under way when the drain began may still leave its connection open and
    // idle once written; close those as they appear.
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), this.shutdownTimeoutMs);
    try {
      await closed;
    } finally {
      clearInterval(sweeper);
      clearTimeout(deadline);
    }
  }
}

/** Node ends the connection after a response that says `Connection: close`, and the client will not reuse it. */
function closeAfter(res: ServerResponse): void {
  res.setHeader("Connection", "close");
}
