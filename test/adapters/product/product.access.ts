import { PRODUCT_WRITE } from "../../../src/application/product/product-permissions.js";
import {
  type AccessRules,
  type Cell,
  expectOk,
  PUBLIC,
  permission,
  preparedId,
  unique,
  versioned,
} from "../../support/access-rules.js";
import { call } from "../../support/test-server.js";

/** The product context's routes in the authorization matrix: reads are public, writes need product:write. */

const productBody = (version: string | undefined) =>
  versioned(version, {
    v1: () => ({ name: "Matrix chair", sku: unique("MX"), price: 1999, currency: "EUR", stock: 5 }),
    v2: () => ({
      name: "Matrix chair",
      sku: unique("MX"),
      price: { amount: "19.99", currency: "EUR" },
      stock: 5,
    }),
  });

const priceBody = (version: string | undefined) =>
  versioned(version, {
    v1: () => ({ price: 2499, currency: "EUR" }),
    v2: () => ({ price: { amount: "24.99", currency: "EUR" } }),
  });

/** A fresh product, created by the admin, for one write. */
async function freshProduct({ fixtures }: Pick<Cell, "fixtures">): Promise<string> {
  const res = await call(`${fixtures.server.url}/api/v1/products`, {
    method: "POST",
    headers: fixtures.admin.headers,
    json: productBody("v1"),
  });
  return (await expectOk(res, "creating a product")).body.data.id;
}

const shared = (cell: Cell) => ({ params: { id: preparedId(cell, "product") } });

export const access: AccessRules = {
  prepare: async (fixtures) => ({ product: await freshProduct({ fixtures: { ...fixtures, prepared: {} } }) }),
  rules: {
    "GET /products": { access: PUBLIC, sample: () => ({}) },
    "GET /products/:id": { access: PUBLIC, sample: shared },
    "GET /products/:id/stock-history": { access: PUBLIC, sample: shared },
    "POST /products": {
      access: permission(PRODUCT_WRITE),
      sample: ({ version }) => ({ json: productBody(version) }),
    },
    "PUT /products/:id/name": {
      access: permission(PRODUCT_WRITE),
      sample: async (cell) => ({ params: { id: await freshProduct(cell) }, json: { name: "Renamed chair" } }),
    },
    "PUT /products/:id/price": {
      access: permission(PRODUCT_WRITE),
      sample: async (cell) => ({ params: { id: await freshProduct(cell) }, json: priceBody(cell.version) }),
    },
    "POST /products/:id/stock-adjustments": {
      access: permission(PRODUCT_WRITE),
      sample: async (cell) => ({
        params: { id: await freshProduct(cell) },
        json: { delta: 3, reason: "delivery" },
      }),
    },
  },
};
