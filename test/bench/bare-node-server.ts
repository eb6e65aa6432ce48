/**
 * Baseline: the product read on plain node:http, the floor any framework is measured against.
 * Run as its own process by the harness; prints `LISTENING <port>` once it accepts connections.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { portFromEnv, productEnvelope, productIdFromPath } from "./product-envelope.js";

const server = createServer((req, res) => {
  const id = req.method === "GET" && req.url !== undefined ? productIdFromPath(req.url) : undefined;
  if (id === undefined) {
    res.writeHead(404).end();
    return;
  }
  const body = JSON.stringify(productEnvelope(id));
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
});

server.listen(portFromEnv(), "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${(server.address() as AddressInfo).port}\n`);
});
