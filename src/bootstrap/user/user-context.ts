import { v1UserRoutes } from "../../adapters/user/http/v1-users.js";
import { v2UserRoutes } from "../../adapters/user/http/v2-users.js";
import { MemoryCredentials } from "../../adapters/user/memory/memory-credentials.js";
import { MemoryUserReadModel } from "../../adapters/user/memory/memory-user-read-model.js";
import { MemoryUserRepository } from "../../adapters/user/memory/memory-user-repository.js";
import * as identity from "../../adapters/user/migrations/2026-11-24T0400-identity.js";
import { KyselyCredentials } from "../../adapters/user/sql/kysely-credentials.js";
import { KyselyUserReadModel } from "../../adapters/user/sql/kysely-user-read-model.js";
import { KyselyUserRepository } from "../../adapters/user/sql/kysely-user-repository.js";
import { AssignRoles, AssignRolesHandler } from "../../application/user/assign-roles.js";
import { ChangePassword, ChangePasswordHandler } from "../../application/user/change-password.js";
import { DeactivateUser, DeactivateUserHandler } from "../../application/user/deactivate-user.js";
import { GetUser, GetUserHandler } from "../../application/user/get-user.js";
import { ListUsers, ListUsersHandler } from "../../application/user/list-users.js";
import {
  CreateUser,
  CreateUserHandler,
  RegisterUser,
  RegisterUserHandler,
} from "../../application/user/register-user.js";
import { UpdateProfile, UpdateProfileHandler } from "../../application/user/update-profile.js";
import { USER_MANAGE, USER_READ_ANY, USER_WRITE_ANY } from "../../application/user/user-permissions.js";
import type { AccountRules } from "../../application/user/user-settings.js";
import { WelcomeMail } from "../../application/user/welcome-mail.js";
import { RefreshTokens } from "../../ports/auth/refresh-tokens.js";
import { Clock } from "../../ports/clock.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Mailer } from "../../ports/mailer.js";
import { PasswordHasher } from "../../ports/password-hasher.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { Credentials } from "../../ports/user/credentials.js";
import { UserReadModel } from "../../ports/user/user-read-model.js";
import { UserRepository } from "../../ports/user/user-repository.js";
import type { ConfigStore } from "../config/index.js";
import { defineContext } from "../context/context-module.js";
import { bindAdapter, bindCommand, bindQuery } from "../modules/handler-registration.js";
import { Tokens } from "../tokens.js";
import { bootstrapAdmin } from "./bootstrap-admin.js";
/**
 * The user context: accounts, their handlers and routes in each API version, the welcome mail, and
 * the bootstrap admin.
 */
export default defineContext({
  name: "user",
  permissions: {
    [USER_READ_ANY]: {
      description: "Read any account's profile and list accounts (otherwise only one's own).",
      grantedTo: ["admin"],
    },
    [USER_WRITE_ANY]: {
      description: "Change any account's profile (otherwise only one's own).",
      grantedTo: ["admin"],
    },
    [USER_MANAGE]: { description: "Assign roles and deactivate accounts.", grantedTo: ["admin"] },
  },
  // The identity tables: accounts and their password hashes, refresh tokens and API keys (the auth
  // context's adapters use the last two; one migration made them together).
  migrations: { "2026-11-24T0400-identity": identity },
  adapters: {
    memory: ({ container }) => {
      bindAdapter(container, UserRepository, MemoryUserRepository, [Tokens.MemoryDatabase]);
      bindAdapter(container, UserReadModel, MemoryUserReadModel, [Tokens.MemoryDatabase]);
      bindAdapter(container, Credentials, MemoryCredentials, [Tokens.MemoryDatabase]);
    },
    sql: ({ container }) => {
      bindAdapter(container, UserRepository, KyselyUserRepository, [Tokens.TransactionScope, IdGenerator]);
      bindAdapter(container, UserReadModel, KyselyUserReadModel, [Tokens.ReadDatabase]);
      bindAdapter(container, Credentials, KyselyCredentials, [Tokens.TransactionScope]);
    },
  },
  bind: ({ container, config, role }) => {
    container.bind(Tokens.AccountRules).toResolvedValue(
      (store: ConfigStore): AccountRules =>
        store.select((c) => ({
          passwordMinLength: c.auth.passwordMinLength,
          defaultRoles: c.auth.defaultRoles,
        })),
      [Tokens.ConfigStore],
    );
    const opening = [
      UserRepository,
      Credentials,
      PasswordHasher,
      IdGenerator,
      Clock,
      UnitOfWork,
      Tokens.AccountRules,
      Tokens.RolePolicy,
    ] as const;
    bindCommand(container, RegisterUser, RegisterUserHandler, opening);
    bindCommand(container, CreateUser, CreateUserHandler, opening);
    bindCommand(container, UpdateProfile, UpdateProfileHandler, [UserRepository, Clock]);
    bindCommand(container, AssignRoles, AssignRolesHandler, [UserRepository, Clock, Tokens.RolePolicy]);
    bindCommand(container, DeactivateUser, DeactivateUserHandler, [UserRepository, RefreshTokens, Clock]);
    bindCommand(container, ChangePassword, ChangePasswordHandler, [
      UserRepository,
      Credentials,
      RefreshTokens,
      PasswordHasher,
      Clock,
      UnitOfWork,
      Tokens.AccountRules,
    ]);
    bindQuery(container, GetUser, GetUserHandler, [UserReadModel, Tokens.RolePolicy]);
    bindQuery(container, ListUsers, ListUsersHandler, [UserReadModel, Tokens.RolePolicy]);

    container
      .bind(Tokens.EventHandlers)
      .toResolvedValue((mailer: Mailer) => new WelcomeMail(mailer), [Mailer]);

    if (role === "serve") bootstrapAdmin(container, config);
  },
  routes: { v1: v1UserRoutes, v2: v2UserRoutes },
});
