/**
 * Liveness of the NATS connection: an outage, however long, is not beyond recovery (the client
 * reconnects forever); a connection the client closed for good is. The test runs a nats-server of
 * its own, stops it, and starts it again requiring a token the client does not have: the client's
 * one way to give up short of a protocol error.
 */
import * as assert from "uvu/assert";
import { NatsEventBus } from "../../../src/adapters/messaging/nats/nats-event-bus.js";
import { NatsLink } from "../../../src/adapters/messaging/nats/nats-link.js";
import { eventually } from "../../support/eventually.js";
import { OwnNats, ownNatsDecision } from "../../support/own-nats.js";
import { serviceTest } from "../../support/services.js";
import { test } from "../../support/uvu.js";
import { natsFixture } from "./nats-fixture.js";
import { Recorder } from "./recorder.js";

const decision = await ownNatsDecision();

serviceTest(
  decision,
  "given a connected link, it stays alive while its server is down, and is beyond recovery once the server refuses its credentials",
  async () => {
    const server = await OwnNats.start();
    const fixture = natsFixture(server.url);
    const link = new NatsLink(fixture.options);
    try {
      await link.open();
      await link.check();
      const handle = await new NatsEventBus(link).subscribe(new Recorder("watcher", ["widget.made"]));

      await server.kill();
      await eventually(
        "the link to notice the server is gone",
        () =>
          link.check().then(
            () => "up",
            (error: Error) => error.message,
          ),
        (state) => state !== "up",
      );
      // Several reconnect attempts (1 to 2 s apart) are refused meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      assert.is(link.beyondRecovery(), undefined, "a server that is down is an outage, not a death");

      await server.restart({ token: "a-token-keel-was-never-given" });
      const reason = await eventually(
        "the client to give up",
        () => link.beyondRecovery(),
        (why) => why !== undefined,
        10_000,
      );
      assert.match(reason ?? "", /closed for good: .*[Aa]uthorization/);
      assert.match(String(await link.check().catch((error: Error) => error.message)), /closed for good/);
      await eventually(
        "the subscription to stop trying",
        () => fixture.reported.map((r) => r.context),
        (contexts) => contexts.some((c) => /stopped consuming: the connection is closed for good/.test(c)),
        15_000,
      );
      await handle.stop();
    } finally {
      await link.close();
      await server.stop();
    }
  },
);

test.run();
