import type * as t from "io-ts";
import { AssignRoles } from "../../../application/user/assign-roles.js";
import { ChangePassword } from "../../../application/user/change-password.js";
import { DeactivateUser } from "../../../application/user/deactivate-user.js";
import { GetUser } from "../../../application/user/get-user.js";
import { ListUsers } from "../../../application/user/list-users.js";
import { RegisterUser } from "../../../application/user/register-user.js";
import { UpdateProfile } from "../../../application/user/update-profile.js";
import type { UserProfile } from "../../../application/user/user-profile.js";
import { strictObject } from "../../http/codecs.js";
import { me } from "../../http/me.js";
import { pageCodec, presentPage } from "../../http/paging.js";
import { type ResourceVersion, type RouteDefinition, route } from "../../http/route.js";
import { Written } from "../../http/written.js";
import {
  emailInput,
  PasswordChangeBody,
  passwordInput,
  RolesBody,
  toUserCriteria,
  USER_BODY_FIELDS,
  UserListQuery,
  UserParams,
} from "./user-inputs.js";

/** How one API version spells a person's name and an account; everything else is shared. */
export interface UserShape<TNameProps extends t.Props, TUser extends ResourceVersion> {
  /** The fields that carry the name in request bodies. */
  readonly nameProps: TNameProps;
  /** Where the domain's `givenName` and `familyName` arrive in those bodies, for refusals to name. */
  readonly nameFields: { readonly givenName: string; readonly familyName: string };
  readonly readName: (body: t.TypeOf<t.TypeC<TNameProps>>) => { givenName: string; familyName: string };
  readonly user: t.Type<TUser, unknown>;
  readonly present: (profile: UserProfile) => TUser;
}

const tags = ["users"];

export function userRoutes<TNameProps extends t.Props, TUser extends ResourceVersion>(
  shape: UserShape<TNameProps, TUser>,
): RouteDefinition[] {
  const RegisterBody = strictObject({ email: emailInput, password: passwordInput, ...shape.nameProps });
  const ProfileBody = strictObject(shape.nameProps);
  const readName = (body: unknown) => shape.readName(body as t.TypeOf<t.TypeC<TNameProps>>);
  const UserPage = pageCodec(shape.user, "UserPage");
  const fields = { ...USER_BODY_FIELDS, ...shape.nameFields };

  return [
    route({
      method: "POST",
      path: "/users",
      summary: "Open an account (self-registration); it gets the configured default roles",
      tags,
      dispatches: RegisterUser,
      body: RegisterBody,
      fields,
      response: Written,
      status: 201,
      location: (registered) => `/users/${registered.id}`,
      etag: (registered) => registered,
      expensive: true,
      message: "user registered",
      handle: ({ body }, { commands, context }) =>
        commands.dispatch(
          new RegisterUser(context, { email: body.email, password: body.password, ...readName(body) }),
        ),
    }),
    route({
      method: "GET",
      path: "/users/me",
      summary: "The signed-in account's own profile",
      tags,
      dispatches: GetUser,
      response: shape.user,
      etag: (user) => user,
      message: "user found",
      handle: async (_, { queries, context }) =>
        shape.present(await queries.dispatch(new GetUser(context, me(context)))),
    }),
    route({
      method: "GET",
      path: "/users",
      summary: "List accounts, filtered by e-mail, role and status, sorted and paged (user:read:any)",
      tags,
      dispatches: ListUsers,
      query: UserListQuery,
      response: UserPage,
      message: "users listed",
      handle: async ({ query }, { queries, context }) => {
        const criteria = toUserCriteria(query);
        return presentPage(await queries.dispatch(new ListUsers(context, criteria)), criteria, shape.present);
      },
    }),
    route({
      method: "GET",
      path: "/users/:id",
      summary: "One account's profile: one's own, or any with user:read:any",
      tags,
      dispatches: GetUser,
      params: UserParams,
      response: shape.user,
      etag: (user) => user,
      message: "user found",
      handle: async ({ params }, { queries, context }) =>
        shape.present(await queries.dispatch(new GetUser(context, params.id))),
    }),
    route({
      method: "PUT",
      path: "/users/:id/profile",
      summary: "Change an account's name: one's own, or any with user:write:any",
      tags,
      dispatches: UpdateProfile,
      params: UserParams,
      body: ProfileBody,
      fields,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      message: "profile updated",
      handle: ({ params, body, expectedVersions }, { commands, context }) =>
        commands.dispatch(
          new UpdateProfile(context, { userId: params.id, ...readName(body), expectedVersions }),
        ),
    }),
    route({
      method: "PUT",
      path: "/users/:id/password",
      summary: "Change one's own password (signed in, with the current one); ends every other session",
      tags,
      dispatches: ChangePassword,
      params: UserParams,
      body: PasswordChangeBody,
      fields,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      expensive: true,
      message: "password changed",
      handle: ({ params, body, expectedVersions }, { commands, context }) =>
        commands.dispatch(
          new ChangePassword(context, {
            userId: params.id,
            currentPassword: body.current_password,
            newPassword: body.new_password,
            expectedVersions,
          }),
        ),
    }),
    route({
      method: "PUT",
      path: "/users/:id/roles",
      summary: "Replace an account's roles (user:manage)",
      tags,
      dispatches: AssignRoles,
      params: UserParams,
      body: RolesBody,
      fields,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      message: "roles assigned",
      handle: ({ params, body, expectedVersions }, { commands, context }) =>
        commands.dispatch(
          new AssignRoles(context, { userId: params.id, roles: body.roles, expectedVersions }),
        ),
    }),
    route({
      method: "POST",
      path: "/users/:id/deactivation",
      summary: "Deactivate an account and end its sessions (user:manage)",
      tags,
      dispatches: DeactivateUser,
      params: UserParams,
      response: Written,
      etag: (written) => written,
      ifMatchOn: (params) => params.id,
      message: "user deactivated",
      handle: ({ params, expectedVersions }, { commands, context }) =>
        commands.dispatch(new DeactivateUser(context, params.id, expectedVersions)),
    }),
  ];
}
