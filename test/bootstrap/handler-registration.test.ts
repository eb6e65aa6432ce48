import { Container } from "inversify";
import * as assert from "uvu/assert";
import { MemoryDatabase } from "../../src/adapters/memory/memory-database.js";
import { MemoryProductRepository } from "../../src/adapters/product/memory/memory-product-repository.js";
import { KyselyProductRepository } from "../../src/adapters/product/sql/kysely-product-repository.js";
import { CreateProduct, CreateProductHandler } from "../../src/application/product/create-product.js";
import { GetProduct, GetProductHandler } from "../../src/application/product/get-product.js";
import {
  bindAdapter,
  bindCommand,
  bindQuery,
  type HandlerRegistration,
} from "../../src/bootstrap/modules/handler-registration.js";
import { Tokens } from "../../src/bootstrap/tokens.js";
import { Clock } from "../../src/ports/clock.js";
import { IdGenerator } from "../../src/ports/id-generator.js";
import { ProductReadModel } from "../../src/ports/product/product-read-model.js";
import { ProductRepository } from "../../src/ports/product/product-repository.js";
import { test } from "../support/uvu.js";

test("given a handler bound in one line, then it is built from the ports its tokens name, with its requirement", () => {
  const container = new Container({ defaultScope: "Singleton" });
  const clock = { now: () => new Date(0) };
  container
    .bind(ProductRepository)
    .toConstantValue({ get: async () => undefined, save: async () => {} } as never);
  container.bind(IdGenerator).toConstantValue({ next: () => "id-1" } as never);
  container.bind(Clock).toConstantValue(clock);
  container.bind(ProductReadModel).toConstantValue({} as never);
  bindCommand(container, CreateProduct, CreateProductHandler, [ProductRepository, IdGenerator, Clock]);
  bindQuery(container, GetProduct, GetProductHandler, [ProductReadModel]);
  const [command] = container.getAll<HandlerRegistration>(Tokens.CommandHandlers);
  const [query] = container.getAll<HandlerRegistration>(Tokens.QueryHandlers);
  assert.equal([command?.type, query?.type], [CreateProduct, GetProduct]);
  assert.equal(command?.requires, new CreateProductHandler({} as never, {} as never, clock).requires);
});

test("given a dependency list that does not match the constructor, then it does not compile", () => {
  const container = new Container();
  const wrongLists = () => {
    // @ts-expect-error: swapped tokens
    bindCommand(container, CreateProduct, CreateProductHandler, [IdGenerator, ProductRepository, Clock]);
    // @ts-expect-error: a missing token
    bindCommand(container, CreateProduct, CreateProductHandler, [ProductRepository, IdGenerator]);
    // @ts-expect-error: a query's handler bound as a command's
    bindCommand(container, GetProduct, GetProductHandler, [ProductReadModel]);
  };
  // Only compiled (npm run typecheck fails if an expected error is missing), never run.
  assert.type(wrongLists, "function");
});

test("given an adapter bound in one line, then the port resolves to it, built from the tokens' values", () => {
  const container = new Container({ defaultScope: "Singleton" });
  const db = new MemoryDatabase(() => "event-1");
  container.bind(Tokens.MemoryDatabase).toConstantValue(db);
  bindAdapter(container, ProductRepository, MemoryProductRepository, [Tokens.MemoryDatabase]);
  assert.instance(container.get(ProductRepository), MemoryProductRepository);
});

test("given an adapter's dependency list that does not match its constructor, then it does not compile", () => {
  const container = new Container();
  const wrongLists = () => {
    // @ts-expect-error: the SQL adapter needs the transaction scope, not the memory database
    bindAdapter(container, ProductRepository, KyselyProductRepository, [Tokens.MemoryDatabase, IdGenerator]);
    // @ts-expect-error: an adapter of another port
    bindAdapter(container, ProductReadModel, MemoryProductRepository, [Tokens.MemoryDatabase]);
  };
  assert.type(wrongLists, "function");
});

test.run();
