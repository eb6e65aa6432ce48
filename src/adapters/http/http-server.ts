import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Koa from "koa";

/**
 * Owns the listening socket. Stopping is graceful: no new connections, idle keep-alive connections
 * closed, in-flight requests given `shutdownTimeoutMs` to finish before their sockets are cut.
 */
export class HttpServer {
  private server: Server | undefined;

  constructor(
    private readonly app: Koa<never> | Koa,
    private readonly host: string,
    private readonly port: number,
    private readonly shutdownTimeoutMs: number,
  ) {}

  async start(): Promise<AddressInfo> {
    const server = createServer(this.app.callback());
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

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Connections that finish their request while we wait become idle; close those as they appear.
    const sweeper = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), this.shutdownTimeoutMs);
    server.closeIdleConnections();
    try {
      await closed;
    } finally {
      clearInterval(sweeper);
      clearTimeout(deadline);
    }
  }
}
