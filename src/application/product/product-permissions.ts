/** What the product context's handlers require; product-context.ts says who gets it by default. */
export const PRODUCT_WRITE = "product:write";
