/**
 * The docs page in a real browser: headless Chromium against a running keel, doing what a reader
 * does — sign in through Swagger UI's Authorize dialog (the OAuth2 password flow), create a product
 * with "Try it out" — while nothing leaves this machine and the page's CSP refuses nothing.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import * as assert from "uvu/assert";
import { ADMIN } from "../support/auth.js";
import { decideChromium, launchChromium } from "../support/chromium.js";
import { serviceTest } from "../support/services.js";
import { call, startTestServer } from "../support/test-server.js";
import { test } from "../support/uvu.js";

const ARTIFACTS = "test-artifacts";
const SCREENSHOT = join(ARTIFACTS, "docs-page.png");
const TIMEOUT_MS = 20_000;

/** What the page reports about its CSP from inside (the event fires for every refusal). */
const WATCH_CSP = `document.addEventListener("securitypolicyviolation", (e) =>
  window.reportCspViolation(e.violatedDirective + " refused " + (e.blockedURI || "inline") + " in " + e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber));`;

const decision = await decideChromium();
serviceTest(
  decision,
  "given the docs page in Chromium, when the admin authorizes with the password flow and tries POST /api/v1/products, then it answers 201, nothing leaves localhost and the CSP refuses nothing",
  async () => {
    const server = await startTestServer();
    const browser = await launchChromium();
    const requests: { url: string; authorization: string | undefined }[] = [];
    const violations: string[] = [];
    const errors: string[] = [];
    let page: Page | undefined;
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
      context.setDefaultTimeout(TIMEOUT_MS);
      context.on("request", (request) =>
        requests.push({ url: request.url(), authorization: request.headers().authorization }),
      );
      await context.exposeFunction("reportCspViolation", (text: string) => violations.push(text));
      await context.addInitScript(WATCH_CSP);
      page = await context.newPage();
      page.on("console", (message) => {
        // Chromium also logs each refusal to the console; any console error is a finding.
        if (message.type() === "error") errors.push(`console: ${message.text()}`);
      });
      page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));

      await page.goto(`${server.url}/docs`);
      // v1 is the default version, so its document is the one shown first; v2 is a selection away.
      const create = page.locator("#operations-products-createProduct");
      await create.waitFor();
      const selector = page.locator(".topbar select");
      assert.is(await selector.locator("option:checked").innerText(), "v1");
      assert.equal(await selector.locator("option").allInnerTexts(), ["v1", "v2"]);

      // Authorize: the OAuth2 password flow, as a reader fills it in.
      await page.locator(".auth-wrapper button.authorize").click();
      const oauth2 = page
        .locator(".auth-container")
        .filter({ has: page.getByRole("heading", { name: /^oauth2 \(OAuth2, password\)/ }) });
      await oauth2.locator("#oauth_username").fill(ADMIN.email);
      await oauth2.locator("#oauth_password").fill(ADMIN.password);
      await oauth2.locator("button.authorize").click();
      await oauth2.locator("button", { hasText: "Logout" }).waitFor();
      await page.locator(".dialog-ux button.close-modal").click();

      // Try it out: create a product with the token just obtained.
      await create.locator(".opblock-summary-control").click();
      await create.locator("button.try-out__btn").click();
      await create
        .locator("textarea.body-param__text")
        .fill(
          JSON.stringify({ name: "Docs page widget", sku: "DOCS-1", price: 1250, currency: "EUR", stock: 3 }),
        );
      await create.locator("button.execute").click();
      const status = create.locator(".live-responses-table .response .response-col_status").first();
      await status.waitFor();
      const answered = (await status.innerText()).trim();
      // The picture shows the request as sent (curl, with the bearer token) and keel's answer.
      await create.locator(".responses-inner").first().scrollIntoViewIfNeeded();
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      const body = await create
        .locator(".live-responses-table .response-col_description pre")
        .first()
        .innerText();
      assert.is(answered, "201", body);
      const created = JSON.parse(body);
      assert.is(created.message, "product created");
      const product = await call(`${server.url}/api/v1/products/${created.data.id}`);
      assert.equal([product.status, product.body.data?.name], [200, "Docs page widget"]);

      for (const { url } of requests) {
        const { protocol, hostname } = new URL(url);
        const local = hostname === "127.0.0.1" || hostname === "localhost";
        assert.ok(local || protocol === "data:", `a request left localhost: ${url}`);
      }
      assert.ok(
        requests.some(({ url }) => url.endsWith("/api/v1/auth/token")),
        "the token came from keel's token endpoint",
      );
      const tried = requests.find(({ url }) => url.endsWith("/api/v1/products"));
      assert.match(tried?.authorization ?? "", /^Bearer /, "Try it out sent the token");
      assert.equal(violations, [], "CSP violations");
      assert.equal(errors, [], "console errors");
    } catch (error) {
      // A failure leaves a picture of where the page was.
      if (page !== undefined) {
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: SCREENSHOT, fullPage: true }).catch(() => undefined);
      }
      throw error;
    } finally {
      await browser.close();
      await server.stop();
    }
  },
);

test.run();
