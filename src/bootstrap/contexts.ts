import type { ContextModule } from "./context/context-module.js";

/**
 * The service's bounded contexts, one line each: the context's name and its module (which
 * `export default`s its ContextModule). Adding a context is adding its line (`keel new context` does);
 * removing one is deleting it. Nothing else outside the context's own folders changes. Listed in the
 * order their permissions' defaults are shown.
 */
export const CONTEXTS: readonly ContextModule[] = await listed({
  product: import("./product/product-context.js"),
  user: import("./user/user-context.js"),
  auth: import("./auth/auth-context.js"),
  order: import("./order/order-context.js"),
});

/** The contexts in the order listed, each checked to be the one its line names. */
async function listed(
  modules: Readonly<Record<string, Promise<{ readonly default: ContextModule }>>>,
): Promise<ContextModule[]> {
  return Promise.all(
    Object.entries(modules).map(async ([name, module]) => {
      const context = (await module).default;
      if (context.name !== name)
        throw new Error(`src/bootstrap/contexts.ts lists the context ${context.name} as ${name}`);
      return context;
    }),
  );
}
