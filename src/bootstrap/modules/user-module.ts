import { v1UserRoutes } from "../../adapters/http/users/v1-users.js";
import { v2UserRoutes } from "../../adapters/http/users/v2-users.js";
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
import type { AccountRules } from "../../application/user/user-settings.js";
import { WelcomeMail } from "../../application/user/welcome-mail.js";
import { Clock } from "../../ports/clock.js";
import { Credentials } from "../../ports/credentials.js";
import { IdGenerator } from "../../ports/id-generator.js";
import { Mailer } from "../../ports/mailer.js";
import { PasswordHasher } from "../../ports/password-hasher.js";
import { RefreshTokens } from "../../ports/refresh-tokens.js";
import { UnitOfWork } from "../../ports/unit-of-work.js";
import { UserReadModel } from "../../ports/user-read-model.js";
import { UserRepository } from "../../ports/user-repository.js";
import type { ConfigStore } from "../config/index.js";
import { Tokens } from "../tokens.js";
import { bootstrapAdmin } from "./bootstrap-admin.js";
import { bindCommand, bindQuery } from "./handler-registration.js";
import type { Module } from "./module.js";

/**
 * The user context: accounts, their handlers and routes in each API version, the welcome mail, and
 * the bootstrap admin.
 */
export const userModule: Module = (container, config, role) => {
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

  container.bind(Tokens.EventHandlers).toResolvedValue((mailer: Mailer) => new WelcomeMail(mailer), [Mailer]);

  container.bind(Tokens.ApiRoutes).toConstantValue({ version: "v1", routes: v1UserRoutes });
  container.bind(Tokens.ApiRoutes).toConstantValue({ version: "v2", routes: v2UserRoutes });

  if (role === "serve") bootstrapAdmin(container, config);
};
