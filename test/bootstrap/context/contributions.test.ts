import * as assert from "uvu/assert";
import { integer } from "../../../src/bootstrap/config/codecs.js";
import { setting } from "../../../src/bootstrap/config/define-config.js";
import { configFor, schemaMigrations } from "../../../src/bootstrap/context/compose-contexts.js";
import { type ContextModule, contextSettings } from "../../../src/bootstrap/context/context-module.js";
import {
  ContributionConflict,
  permissionDefaults,
  permissionList,
  routesOf,
} from "../../../src/bootstrap/context/contributions.js";
import { test } from "../../support/uvu.js";

const noop = { up: async () => undefined };

const invoice: ContextModule = {
  name: "invoice",
  settings: contextSettings("invoices", {
    dueDays: setting(integer(1, 365), {
      default: "30",
      live: false,
      description: "Days until an invoice is due.",
    }),
  }),
  permissions: {
    "invoice:write": { description: "Issue invoices.", grantedTo: ["admin", "accountant"] },
    "invoice:read": { description: "Read invoices.", grantedTo: ["accountant"] },
  },
  migrations: { "2026-11-30T0900-invoices": noop },
  routes: {
    v1: [
      {
        method: "GET",
        path: "/invoices",
        summary: "List invoices",
        tags: ["invoices"],
      } as never,
    ],
  },
};

const shipping: ContextModule = {
  name: "shipping",
  permissions: { "shipping:write": { description: "Ship.", grantedTo: ["admin"] } },
};

const expectConflict = (run: () => unknown, message: RegExp) => {
  try {
    run();
  } catch (error) {
    assert.instance(error, ContributionConflict);
    assert.match((error as Error).message, message);
    return;
  }
  assert.unreachable("no conflict was reported");
};

test("given two contexts, the role map lists each role's grants in the order the contexts are listed", () => {
  const defaults = permissionDefaults([invoice, shipping]);
  assert.equal(defaults.names, ["invoice:write", "invoice:read", "shipping:write"]);
  assert.is(defaults.roleMap, "admin=invoice:write shipping:write; accountant=invoice:write invoice:read");
  assert.equal(
    permissionList([invoice, shipping]).map((p) => `${p.name}@${p.declaredBy}`),
    ["invoice:write@invoice", "invoice:read@invoice", "shipping:write@shipping"],
  );
});

test("given a context's settings, the configuration has its keys under its prefix and reads them typed", () => {
  const definition = configFor([invoice]);
  const entry = definition.entries.find((e) => e.key === "INVOICES__DUE_DAYS");
  assert.ok(entry, definition.entries.map((e) => e.key).join(", "));
  const roles = definition.entries.find((e) => e.key === "AUTH__ROLE_PERMISSIONS");
  assert.is(
    roles?.kind === "setting" ? roles.meta.default : undefined,
    "admin=invoice:write; accountant=invoice:write invoice:read",
  );
});

test("given the contexts' migrations, the foundation's come with them, by name", () => {
  const names = Object.keys(schemaMigrations([invoice]));
  assert.ok(names.includes("2026-11-24T0200-events"), names.join(", "));
  assert.ok(names.includes("2026-11-30T0900-invoices"), names.join(", "));
});

test("given two contexts claiming one permission, composing them fails naming both", () => {
  const copy: ContextModule = {
    name: "billing",
    permissions: { "invoice:read": { description: "x", grantedTo: [] } },
  };
  expectConflict(
    () => permissionDefaults([invoice, copy]),
    /the permission invoice:read is claimed by both invoice and billing/,
  );
});

test("given two contexts claiming one config section, one migration, one route or one name, composing fails naming both", () => {
  expectConflict(
    () => configFor([invoice, { name: "billing", settings: contextSettings("invoices", {}) }]),
    /the config section invoices is claimed by both invoice and billing/,
  );
  expectConflict(
    () => schemaMigrations([invoice, { name: "billing", migrations: { "2026-11-30T0900-invoices": noop } }]),
    /the migration 2026-11-30T0900-invoices is claimed by both invoice and billing/,
  );
  expectConflict(
    () => schemaMigrations([{ name: "billing", migrations: { "2026-11-24T0200-events": noop } }]),
    /the migration 2026-11-24T0200-events is claimed by both the foundation and billing/,
  );
  expectConflict(
    () => routesOf([invoice, { name: "billing", routes: { v1: invoice.routes?.v1 ?? [] } }]),
    /the route GET \/api\/v1\/invoices is claimed by both invoice and billing/,
  );
  expectConflict(
    () => configFor([invoice, { name: "invoice" }]),
    /the name invoice is claimed by both invoice and invoice/,
  );
});

test("given a context whose section takes a foundation key, composing fails naming both", () => {
  expectConflict(
    () => configFor([{ name: "clash", settings: contextSettings("http", {}) }]),
    /the config section http is claimed by both the foundation and clash/,
  );
});

test.run();
