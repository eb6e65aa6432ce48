/** What the product context's handlers require; product-context.ts says who gets it by default. */
export const PRODUCT_WRITE = "product:write";
/**
 * Reserving, releasing and committing stock for orders. No role gets it by default: the order
 * checkout does it as the system principal, which holds every permission. A role given it by
 * configuration could move stock outside any order's life, so it is for operators who repair one.
 */
export const PRODUCT_RESERVE = "product:reserve";
