import { once } from "node:events";
import { createServer } from "node:net";

/** A loopback port nothing listens on right now (the OS picks it; the server binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
