import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import * as assert from "uvu/assert";
import { FaultProxy } from "./fault-proxy.js";
import { test } from "./uvu.js";

/** An echo server: what the proxy stands in front of. */
async function echoServer() {
  const server = createServer((socket) => {
    socket.on("error", () => undefined);
    socket.pipe(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

async function open(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  await once(socket, "connect");
  return socket;
}

/** The next chunk, or the error or end that came instead, or "silence" after `ms`. */
function nextEvent(socket: Socket, ms = 300): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("silence"), ms);
    const done = (what: string) => {
      clearTimeout(timer);
      resolve(what);
    };
    socket.once("data", (chunk) => done(`data:${chunk}`));
    socket.once("error", (error: NodeJS.ErrnoException) => done(`error:${error.code}`));
    socket.once("close", () => done("closed"));
  });
}

test("given a passing proxy, bytes go both ways; black-holed, they vanish; restored, they flow again", async () => {
  const echo = await echoServer();
  const proxy = await FaultProxy.start({ host: "127.0.0.1", port: echo.port });
  try {
    const socket = await open(proxy.port);
    socket.write("one");
    assert.is(await nextEvent(socket), "data:one");

    proxy.set("blackhole");
    socket.write("two");
    assert.is(await nextEvent(socket), "silence", "a partition neither answers nor errors");

    proxy.pass();
    socket.write("three");
    assert.is(await nextEvent(socket), "data:three");
    socket.destroy();
  } finally {
    await proxy.close();
    echo.close();
  }
});

test("when the proxy resets, open connections see ECONNRESET; when it refuses, new ones are closed at once", async () => {
  const echo = await echoServer();
  const proxy = await FaultProxy.start({ host: "127.0.0.1", port: echo.port });
  try {
    const socket = await open(proxy.port);
    const reset = nextEvent(socket, 2000);
    proxy.set("reset");
    assert.is(await reset, "error:ECONNRESET");

    proxy.set("refuse");
    const refused = connect(proxy.port, "127.0.0.1");
    refused.on("error", () => undefined);
    assert.is(await nextEvent(refused, 2000), "closed");

    proxy.pass();
    const again = await open(proxy.port);
    again.write("back");
    assert.is(await nextEvent(again), "data:back");
    assert.is(proxy.upstreamPorts.length, 1, "the service sees one session, through the proxy");
    again.destroy();
  } finally {
    await proxy.close();
    echo.close();
  }
});

test.run();
