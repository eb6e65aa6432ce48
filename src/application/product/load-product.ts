import type { Product } from "../../domain/product/product.js";
import { productId } from "../../domain/product/product-id.js";
import type { ProductRepository } from "../../ports/product-repository.js";
import { NotFound } from "../shared/not-found.js";

export async function loadProduct(products: ProductRepository, id: string): Promise<Product> {
  const product = await products.get(productId(id));
  if (product === undefined) throw new NotFound("product", id);
  return product;
}
