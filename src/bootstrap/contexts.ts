import { authContext } from "./auth/auth-context.js";
import type { ContextModule } from "./context/context-module.js";
import { productContext } from "./product/product-context.js";
import { userContext } from "./user/user-context.js";

/**
 * The service's bounded contexts. Adding one is adding it here (`keel new context` does); nothing
 * else outside its own folders changes. Listed in the order their permissions' defaults are shown.
 */
export const CONTEXTS: readonly ContextModule[] = [productContext, userContext, authContext];
