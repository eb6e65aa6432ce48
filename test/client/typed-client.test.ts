/**
 * A client typed by the generated client/v1.d.ts (openapi-fetch over keel's own OpenAPI document)
 * drives a real server. Every path, parameter, body and answer below is checked by tsc against the
 * generated types, so a breaking change to a codec or a route breaks the compile of this file, and
 * each `@ts-expect-error` must meet an error or tsc fails: the compile pins the contract.
 */
import createClient, { type Client } from "openapi-fetch";
import * as assert from "uvu/assert";
import type { paths } from "../../client/v1.js";
import { ADMIN } from "../support/auth.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { suite } from "../support/uvu.js";

type Api = Client<paths>;

/**
 * openapi-fetch infers a call's options generically, so an extra field in an inline body is not an
 * error by itself (a missing or mistyped one is); `satisfies` a body type makes it one.
 */
type ProductInput = paths["/api/v1/products"]["post"]["requestBody"]["content"]["application/json"];

/** The OAuth2 token endpoint takes a form, not JSON (RFC 6749): the body is serialized as one. */
async function signIn(api: Api, username: string, password: string): Promise<string> {
  const { data, error } = await api.POST("/api/v1/auth/token", {
    body: { grant_type: "password", username, password },
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    bodySerializer: (form) =>
      new URLSearchParams(
        Object.entries(form).filter((field): field is [string, string] => field[1] !== undefined),
      ),
  });
  if (data === undefined) throw new Error(`sign-in failed: ${JSON.stringify(error)}`);
  return data.access_token;
}

const typed = suite<{ server: TestServer; admin: Api; anonymous: Api }>("typed client (openapi-fetch, v1)");
typed.before(async (context) => {
  context.server = await startTestServer();
  context.anonymous = createClient<paths>({ baseUrl: context.server.url });
  const token = await signIn(context.anonymous, ADMIN.email, ADMIN.password);
  context.admin = createClient<paths>({
    baseUrl: context.server.url,
    headers: { Authorization: `Bearer ${token}` },
  });
});
typed.after(async ({ server }) => {
  await server.stop();
});

typed(
  "given the admin's password, when signing in with a form body, then a typed bearer token comes back",
  async ({ anonymous }) => {
    // No bodySerializer: openapi-fetch's default writes a form when the Content-Type says so.
    const { data, response } = await anonymous.POST("/api/v1/auth/token", {
      body: { grant_type: "password", username: ADMIN.email, password: ADMIN.password },
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    assert.is(response.status, 200);
    assert.is(data?.token_type, "bearer");
    assert.ok((data?.expires_in ?? 0) > 0);
    assert.ok(data?.refresh_token);
  },
);

typed(
  "given a signed-in admin, when a product is created and read back, then both answers are typed envelopes",
  async ({ admin, anonymous }) => {
    const created = await admin.POST("/api/v1/products", {
      body: { name: "Typed lamp", sku: "TYPED-LAMP", price: 1999, currency: "EUR", stock: 7 },
    });
    assert.is(created.response.status, 201, JSON.stringify(created.error));
    const written = created.data?.data;
    if (written === undefined) throw new Error("no product was written");
    assert.is(written.version, 1);
    assert.match(created.response.headers.get("location") ?? "", written.id);

    const read = await anonymous.GET("/api/v1/products/{id}", { params: { path: { id: written.id } } });
    assert.is(read.response.status, 200);
    const product = read.data?.data;
    assert.is(read.data?.code, "OK");
    assert.is(product?.name, "Typed lamp");
    assert.is(product?.sku, "TYPED-LAMP");
    assert.is(product?.price, 1999);
    assert.is(product?.currency, "EUR");
    assert.is(product?.available, 7);
  },
);

typed(
  "given three products, when listed two to a page, then each page has its items and the total",
  async ({ admin, anonymous }) => {
    for (const n of [1, 2, 3]) {
      const { response } = await admin.POST("/api/v1/products", {
        body: {
          name: `Paged chair ${n}`,
          sku: `PAGED-CHAIR-${n}`,
          price: 100 * n,
          currency: "EUR",
          stock: n,
        },
      });
      assert.is(response.status, 201);
    }
    const page = (n: number) =>
      anonymous.GET("/api/v1/products", {
        params: { query: { name: "Paged chair", sort: "sku", order: "asc", page: n, page_size: 2 } },
      });
    const first = (await page(1)).data?.data;
    assert.is(first?.total, 3);
    assert.is(first?.page, 1);
    assert.is(first?.page_size, 2);
    assert.equal(
      first?.items.map((item) => item.sku),
      ["PAGED-CHAIR-1", "PAGED-CHAIR-2"],
    );
    const second = (await page(2)).data?.data;
    assert.is(second?.total, 3);
    assert.equal(
      second?.items.map((item) => item.sku),
      ["PAGED-CHAIR-3"],
    );
  },
);

typed(
  "given a create body with a field the contract lacks, then it does not compile and the server refuses it with a typed error",
  async ({ admin }) => {
    const refused = await admin.POST("/api/v1/products", {
      body: {
        name: "Coloured lamp",
        sku: "COLOURED-LAMP",
        price: 500,
        currency: "EUR",
        stock: 1,
        // @ts-expect-error -- `colour` is no field of the v1 create body
        colour: "red",
      } satisfies ProductInput,
    });
    assert.is(refused.response.status, 400);
    assert.is(refused.data, undefined);
    assert.is(refused.error?.code, "VALIDATION_FAILED");
    assert.ok(
      refused.error?.errors?.some((field) => field.path.includes("colour")),
      JSON.stringify(refused.error),
    );
  },
);

typed("given calls that break the contract, then none of them compiles", () => {
  // Never called: each line is a check for tsc, which fails the build when an expected error is missing.
  const contract = async (api: Api) => {
    // @ts-expect-error -- a misspelt field: the create body needs `stock`
    await api.POST("/api/v1/products", { body: { name: "n", sku: "s", price: 1, currency: "EUR", stok: 1 } });
    await api.POST("/api/v1/products", {
      // @ts-expect-error -- a v1 price is a number of minor units, not a decimal string
      body: { name: "n", sku: "s", price: "1.00", currency: "EUR", stock: 1 },
    });
    // @ts-expect-error -- a product read needs its `id` path parameter
    await api.GET("/api/v1/products/{id}", {});
    // @ts-expect-error -- `page_size` is a number, not a string
    await api.GET("/api/v1/products", { params: { query: { page_size: "2" } } });
    // @ts-expect-error -- no such path in v1
    await api.GET("/api/v1/widgets");
    const { data } = await api.GET("/api/v1/products/{id}", { params: { path: { id: "p" } } });
    // @ts-expect-error -- the product has `price`, not `cost`
    data?.data.cost;
    const stock: number | undefined = data?.data.stock;
    // @ts-expect-error -- the envelope's `data` is the product, not a string
    const wrong: string | undefined = data?.data;
    return [stock, wrong];
  };
  assert.type(contract, "function");
});

typed.run();
