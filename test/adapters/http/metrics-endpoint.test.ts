import { randomUUID } from "node:crypto";
import * as assert from "uvu/assert";
import { decidePrometheus, expositionFindings } from "../../support/promtool.js";
import { serviceTest } from "../../support/services.js";
import { call, startTestServer, type TestServer } from "../../support/test-server.js";
import { suite, test } from "../../support/uvu.js";

/** The exposition's samples of keel's own metrics (process defaults vary with GC and are left out). */
async function keelSeries(url: string, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await fetch(`${url}/metrics`, { headers });
  assert.is(res.status, 200);
  return (await res.text()).split("\n").filter((line) => line.startsWith("keel_"));
}

function sample(series: readonly string[], prefix: string): number | undefined {
  const line = series.find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

const open = suite<{ server: TestServer }>("/metrics, open");
open.before(async (context) => {
  // 1,000 requests from one address would otherwise meet the per-address limit.
  // The in-process worker brings the relay: its lag and its readiness check are scraped too.
  context.server = await startTestServer({
    env: { RATE_LIMIT__ENABLED: "false", WORKER__IN_PROCESS: "true" },
  });
});
open.after(async ({ server }) => server.stop());

open(
  "given a product read, when /metrics is scraped, then it counts it under the route template",
  async ({ server }) => {
    await call(`${server.url}/api/v1/products`);
    const series = await keelSeries(server.url);
    assert.ok(
      (sample(series, 'keel_http_requests_total{method="GET",route="/api/v1/products",status_class="2xx"}') ??
        0) >= 1,
    );
    assert.ok(
      series.some((line) =>
        line.startsWith(
          'keel_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/products"',
        ),
      ),
      "the histogram has the 5 ms bucket",
    );
    assert.ok(
      series.some((line) => line.includes('le="10"')),
      "and the 10 s one",
    );
    assert.ok(
      (sample(series, 'keel_bus_messages_total{message="ListProducts",outcome="ok"}') ?? 0) >= 1,
      series.join("\n"),
    );
    assert.is(sample(series, 'keel_health_check_up{check="relay-lag"}'), 1);
    assert.is(sample(series, "keel_outbox_events_behind"), 0);
    assert.is(sample(series, "keel_outbox_seconds_behind"), 0);
  },
);

open(
  "given an unknown path and 1,000 product ids, when they are requested, then no series is added",
  async ({ server }) => {
    // The first of each kind makes its series; what must not grow is anything after it.
    await call(`${server.url}/no/such/path`);
    await call(`${server.url}/api/v1/products/${randomUUID()}`);
    const before = await keelSeries(server.url);
    for (let i = 0; i < 1000; i += 1) await call(`${server.url}/api/v1/products/${randomUUID()}`);
    for (let i = 0; i < 50; i += 1) await call(`${server.url}/probe-${randomUUID()}`);
    const after = await keelSeries(server.url);
    const names = (lines: readonly string[]) => lines.map((line) => line.slice(0, line.lastIndexOf(" ")));
    assert.equal(names(after), names(before));
    assert.ok(
      (sample(
        after,
        'keel_http_requests_total{method="GET",route="/api/v1/products/:id",status_class="4xx"}',
      ) ?? 0) >= 1001,
    );
    assert.ok(
      (sample(after, 'keel_http_requests_total{method="GET",route="unmatched",status_class="4xx"}') ?? 0) >=
        51,
    );
    assert.not.ok(
      after.some((line) => line.includes("probe-")),
      "no raw path in a label",
    );
  },
);

open(
  "given /metrics, when it is asked under /api or with a version, then it is not there: it is unversioned",
  async ({ server }) => {
    assert.is((await call(`${server.url}/api/v1/metrics`)).status, 404);
  },
);

const promtoolDecision = await decidePrometheus("promtool");
serviceTest(
  promtoolDecision,
  "given a scrape, when promtool checks it, then it is valid exposition",
  async () => {
    const server = await startTestServer();
    try {
      await call(`${server.url}/api/v1/products`);
      const text = await (await fetch(`${server.url}/metrics`)).text();
      assert.equal(await expositionFindings(text), []);
      assert.ok(text.includes("keel_http_requests_total"));
    } finally {
      await server.stop();
    }
  },
);

const guarded = suite<{ server: TestServer }>("/metrics, with a bearer token");
guarded.before(async (context) => {
  context.server = await startTestServer({ env: { METRICS__BEARER_TOKEN: "scrape-secret" } });
});
guarded.after(async ({ server }) => server.stop());

guarded(
  "given a token is set, when a scrape sends none or a wrong one, then it is a 401",
  async ({ server }) => {
    for (const headers of [{}, { authorization: "Bearer wrong" }] as Record<string, string>[]) {
      const res = await call(`${server.url}/metrics`, { headers });
      assert.is(res.status, 401);
      assert.is(res.body.code, "UNAUTHENTICATED");
    }
  },
);

guarded("given a token is set, when a scrape sends it, then it gets the metrics", async ({ server }) => {
  const series = await keelSeries(server.url, { authorization: "Bearer scrape-secret" });
  assert.ok(series.length > 0);
});

const disabled = suite<{ server: TestServer }>("/metrics, disabled");
disabled.before(async (context) => {
  context.server = await startTestServer({ env: { METRICS__ENABLED: "false" } });
});
disabled.after(async ({ server }) => server.stop());

disabled("given METRICS__ENABLED=false, when /metrics is asked, then it is a 404", async ({ server }) => {
  assert.is((await call(`${server.url}/metrics`)).status, 404);
});

open.run();
guarded.run();
disabled.run();
test.run();

const limited = suite<{ server: TestServer }>("/metrics, rate-limit refusals");
limited.before(async (context) => {
  context.server = await startTestServer({ env: { RATE_LIMIT__IP__POINTS: "2" } });
});
limited.after(async (context) => {
  await context.server.stop();
});
limited(
  "given a per-address limit of 2, when a third request is refused, then the refusal is counted under its limit and its route template",
  async ({ server }) => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(`${server.url}/api/v1/products`)).status);
    // Refused before the OAuth2 endpoints too, which route on their own.
    statuses.push(
      (
        await call(`${server.url}/api/v1/auth/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "grant_type=password&username=nobody&password=nothing",
        })
      ).status,
    );
    assert.equal(statuses, [200, 200, 429, 429]);
    const series = await keelSeries(server.url);
    assert.ok(series.includes('keel_rate_limit_refusals_total{limit="ip"} 2'), series.join("\n"));
    assert.is(
      sample(series, 'keel_http_requests_total{method="GET",route="/api/v1/products",status_class="4xx"}'),
      1,
    );
    assert.is(
      sample(series, 'keel_http_requests_total{method="POST",route="/api/v1/auth/token",status_class="4xx"}'),
      1,
    );
    assert.is(sample(series, 'keel_http_requests_total{method="GET",route="unmatched"'), undefined);
  },
);
limited.run();

const refused = suite<{ server: TestServer }>("/metrics, requests answered before or beside the router");
refused.before(async (context) => {
  context.server = await startTestServer({ env: { RATE_LIMIT__ENABLED: "false" } });
});
refused.after(async ({ server }) => server.stop());

refused(
  "given a bad bearer token, a method no route takes and a made-up path, when they are answered, then the first two count under their route template and the last as unmatched",
  async ({ server }) => {
    const badToken = { authorization: "Bearer not-a-token" };
    const answers = [
      await call(`${server.url}/api/v1/products`, { headers: badToken }),
      // Header-versioned: rewritten to /api/v1/... before authentication refuses it.
      await call(`${server.url}/api/products/${randomUUID()}`, {
        headers: { ...badToken, "X-API-Version": "v1" },
      }),
      await call(`${server.url}/api/v1/products`, { method: "DELETE" }),
      // The router's own choice where two templates match: the first registered, /users/me.
      await call(`${server.url}/api/v1/users/me`, { method: "PUT" }),
      await call(`${server.url}/api/v1/made-up`),
      await call(`${server.url}/api/v1/made-up`, { headers: badToken }),
    ];
    assert.equal(
      answers.map((answer) => answer.status),
      [401, 401, 405, 405, 404, 401],
    );
    const series = await keelSeries(server.url);
    const requests = (labels: string) => sample(series, `keel_http_requests_total{${labels}}`);
    assert.is(requests('method="GET",route="/api/v1/products",status_class="4xx"'), 1, series.join("\n"));
    assert.is(requests('method="GET",route="/api/v1/products/:id",status_class="4xx"'), 1);
    assert.is(requests('method="DELETE",route="/api/v1/products",status_class="4xx"'), 1);
    assert.is(requests('method="PUT",route="/api/v1/users/me",status_class="4xx"'), 1);
    assert.is(requests('method="GET",route="unmatched",status_class="4xx"'), 2);
    assert.not.ok(
      series.some((line) => line.includes("made-up") || line.includes('route="/api/products')),
      "no raw or unversioned path in a label",
    );
  },
);

refused(
  "given a route answered by its router, when its label is compared, then a refusal on the same path has the same one",
  async ({ server }) => {
    await call(`${server.url}/api/v1/users/me`);
    await call(`${server.url}/api/v1/users/me`, { headers: { authorization: "Bearer not-a-token" } });
    const series = await keelSeries(server.url);
    const routes = series
      .filter((line) => line.startsWith('keel_http_requests_total{method="GET",route="/api/v1/users/'))
      .map((line) => /route="([^"]+)"/.exec(line)?.[1]);
    assert.equal([...new Set(routes)], ["/api/v1/users/me"]);
  },
);
refused.run();
