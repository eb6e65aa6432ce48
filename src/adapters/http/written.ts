import * as t from "io-ts";

/** What a command route returns: the aggregate's id and its version after the change. */
export const Written = t.exact(t.type({ id: t.string, version: t.number }), "Written");
