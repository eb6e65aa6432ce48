import type { Container } from "inversify";
import type { Command } from "../../application/shared/message.js";
import type { MessageBus } from "../../application/shared/message-bus.js";
import { CreateUser } from "../../application/user/register-user.js";
import { email as normalisedEmail } from "../../domain/user/email.js";
import { EmailAlreadyRegistered } from "../../domain/user/user-errors.js";
import { Logger } from "../../ports/logger.js";
import { UserRepository } from "../../ports/user/user-repository.js";
import type { AppConfig } from "../config/index.js";
import type { Component } from "../lifecycle.js";
import { Tokens } from "../tokens.js";

/**
 * Creates the configured admin at start-up when no account has its address, so a newcomer can sign
 * in at once (development defaults: admin@keel.local with a marked password, refused in production;
 * production seeds only when both settings are given). An existing account is left as it is: its
 * password is never reset from config.
 */
export function bootstrapAdmin(container: Container, config: AppConfig): void {
  const { email, password } = config.auth.bootstrapAdmin;
  if (email === undefined || password === undefined) return;
  container.bind(Tokens.Components).toResolvedValue(
    (commands: MessageBus<Command<unknown>>, users: UserRepository, logger: Logger): Component => ({
      name: "bootstrap-admin",
      start: async () => {
        try {
          // The usual case after the first start: say nothing above debug, dispatch nothing.
          if ((await users.idOfEmail(normalisedEmail(email))) !== undefined) {
            logger.debug({ email }, "bootstrap admin already present");
            return;
          }
          const created = await commands.dispatch(
            new CreateUser(
              { principal: { kind: "system", name: "bootstrap-admin" }, correlationId: "bootstrap-admin" },
              { email, password, givenName: "Admin", familyName: "Bootstrap", roles: ["admin"] },
            ),
          );
          logger.info({ userId: created.id, email }, "bootstrap admin created");
        } catch (error) {
          // Created at an earlier start (or by another instance starting at the same moment): the
          // handler checks the address before it spends a hash on the password.
          if (error instanceof EmailAlreadyRegistered) return;
          // Typically pending migrations (no users table yet), which readiness already reports, or a
          // password below the policy; serving the rest beats refusing to start over a convenience.
          logger.warn(
            { err: error, email },
            "bootstrap admin not created; it will be at the next start once the cause is fixed",
          );
        }
      },
      stop: async () => {},
    }),
    [Tokens.CommandBus, UserRepository, Logger],
  );
}
