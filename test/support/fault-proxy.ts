import { once } from "node:events";
import { type AddressInfo, createServer, type Server, Socket } from "node:net";

/**
 * What the proxy does with traffic:
 * - `pass`: forwards both ways;
 * - `refuse`: new connections are closed at once (as a server that is down); open ones are cut too;
 * - `reset`: every open connection is reset (RST), new ones too — a server restart or failover;
 * - `blackhole`: connections open and stay open, but nothing is forwarded either way — a partition
 *   or a dropped route, where packets vanish and no error ever comes back.
 */
export type FaultMode = "pass" | "refuse" | "reset" | "blackhole";

/**
 * A TCP proxy on loopback that a test puts between keel and a dependency (PostgreSQL, NATS, Redis)
 * and then cuts, resets or black-holes, without touching the shared service itself.
 */
export class FaultProxy {
  private mode: FaultMode = "pass";
  private readonly pairs = new Set<Pair>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  /** Starts a proxy on an ephemeral loopback port towards `target` (host:port). */
  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const server = createServer();
    const proxy = new FaultProxy(server, target);
    server.on("connection", (client) => proxy.accept(client));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return proxy;
  }

  /** The proxy's own port: point keel's URL here instead of at the service. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(this.port);
    return proxied.toString();
  }

  /** Local ports of the proxy's connections to the service: how the service sees keel's sessions. */
  get upstreamPorts(): number[] {
    return [...this.pairs].map((pair) => pair.upstream.localPort).filter((p): p is number => p !== undefined);
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** Changes what happens to traffic from now on; `refuse` and `reset` also end what is open. */
  set(mode: FaultMode): void {
    this.mode = mode;
    if (mode === "refuse" || mode === "reset") {
      for (const pair of this.pairs) pair.end(mode === "reset");
    }
    for (const pair of this.pairs) pair.forwarding = mode === "pass";
  }

  pass(): void {
    this.set("pass");
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    for (const pair of this.pairs) pair.end(true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.on("error", () => undefined);
    if (this.mode === "refuse") {
      client.destroy();
      return;
    }
    if (this.mode === "reset") {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    upstream.on("error", () => undefined);
    const pair = new Pair(client, upstream, () => this.pairs.delete(pair));
    pair.forwarding = this.mode === "pass";
    this.pairs.add(pair);
    upstream.connect(this.target.port, this.target.host);
  }
}

/** One proxied connection: keel's side and the service's side, forwarded while `forwarding`. */
class Pair {
  forwarding = true;
  private ended = false;

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
    private readonly onEnd: () => void,
  ) {
    // Forward each write at once: with Nagle's delay every small request waits for the last reply's
    // ACK, and a publish-and-wait client (the relay) would measure the proxy instead of itself.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // Bytes that arrive while black-holed are dropped, as a partition drops packets.
    client.on("data", (chunk) => {
      if (this.forwarding) upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (this.forwarding) client.write(chunk);
    });
    client.on("close", () => this.end(false));
    upstream.on("close", () => this.end(false));
  }

  end(reset: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    for (const socket of [this.client, this.upstream]) {
      if (reset && !socket.destroyed) socket.resetAndDestroy();
      else socket.destroy();
    }
  }
}
