import type { Product } from "../../domain/product/product.js";
import { productId } from "../../domain/product/product-id.js";
import type { ProductRepository } from "../../ports/product/product-repository.js";
import { type ExpectedVersions, ensureExpectedVersion } from "../shared/expected-version.js";
import { NotFound } from "../shared/not-found.js";

/** The product a command changes, refused unless it is at a version the command expects (if any). */
export async function loadProduct(
  products: ProductRepository,
  id: string,
  expected?: ExpectedVersions,
): Promise<Product> {
  const product = await products.get(productId(id));
  if (product === undefined) throw new NotFound("product", id);
  ensureExpectedVersion("product", product, expected);
  return product;
}

/**
 * The product a contended command changes, held until its unit of work ends (see
 * ProductRepository.getForUpdate): stock changes queue on it instead of racing, and a conditional
 * one is checked against the version it holds.
 */
export async function lockProduct(
  products: ProductRepository,
  id: string,
  expected?: ExpectedVersions,
): Promise<Product> {
  const product = await products.getForUpdate(productId(id));
  if (product === undefined) throw new NotFound("product", id);
  ensureExpectedVersion("product", product, expected);
  return product;
}
