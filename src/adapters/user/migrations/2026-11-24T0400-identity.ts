import { type Kysely, sql } from "kysely";

/**
 * Accounts and what authenticates them. `users` holds the User aggregate's state (its events go to
 * the log); the e-mail is stored normalised, so its unique index is what decides between two
 * registrations racing for one address. Every list sort has an index ending in id (the e-mail's
 * unique index serves its sort), the e-mail filter (a case-insensitive substring) has a trigram
 * index and the role filter a GIN index. Password hashes, refresh tokens and API keys live in
 * tables of their own: they never travel in an event. Tokens and keys keep only a hash of their
 * secret; the unique index on it (or on a key's public prefix) is how a presented one is found.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The e-mail filter's index needs it; the product context's first migration creates it too.
  await sql`create extension if not exists pg_trgm`.execute(db);
  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("given_name", "text", (c) => c.notNull())
    .addColumn("family_name", "text", (c) => c.notNull())
    .addColumn("roles", sql`text[]`, (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull())
    .addColumn("password_changed_at", "timestamptz", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .execute();
  await sql`create index users_email_trgm on users using gin (email gin_trgm_ops)`.execute(db);
  await sql`create index users_family_name_sort on users (lower(family_name), id)`.execute(db);
  await db.schema.createIndex("users_created_sort").on("users").columns(["created_at", "id"]).execute();
  await sql`create index users_roles on users using gin (roles)`.execute(db);

  await db.schema
    .createTable("user_credentials")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("refresh_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("family_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("secret_hash", "text", (c) => c.notNull().unique())
    .addColumn("scopes", sql`text[]`, (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("rotated_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema.createIndex("refresh_tokens_family").on("refresh_tokens").column("family_id").execute();
  await db.schema.createIndex("refresh_tokens_user").on("refresh_tokens").column("user_id").execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("prefix", "text", (c) => c.notNull().unique())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("permissions", sql`text[]`, (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull())
    .addColumn("expires_at", "timestamptz")
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("api_keys_user")
    .on("api_keys")
    .columns(["user_id", "created_at", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("api_keys").execute();
  await db.schema.dropTable("refresh_tokens").execute();
  await db.schema.dropTable("user_credentials").execute();
  await db.schema.dropTable("users").execute();
}
