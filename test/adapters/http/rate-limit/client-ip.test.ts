import * as assert from "uvu/assert";
import { clientKey } from "../../../../src/adapters/http/rate-limit/client-ip.js";
import { test } from "../../../support/uvu.js";

test("an IPv4 address counts as itself, also when mapped into IPv6", () => {
  assert.is(clientKey("203.0.113.7"), "203.0.113.7");
  assert.is(clientKey("::ffff:203.0.113.7"), "203.0.113.7");
});

test("IPv6 addresses count by their /64, however they are written", () => {
  const key = "2001:db8:0:1::/64";
  for (const address of [
    "2001:db8:0:1::1",
    "2001:0db8:0000:0001:ffff:ffff:ffff:ffff",
    "2001:db8::1:0:0:0:5",
    "2001:db8:0:1:a:b:1.2.3.4",
    "2001:db8:0:1::7%eth0",
  ]) {
    assert.is(clientKey(address), key, address);
  }
  assert.is(clientKey("::1"), "0:0:0:0::/64");
  assert.is.not(clientKey("2001:db8:0:2::1"), key);
});

test("an unknown address still gets a key", () => {
  assert.is(clientKey(""), "unknown");
});
test.run();
