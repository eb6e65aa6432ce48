import type { Container } from "inversify";
import type { AppConfig } from "../config/index.js";

/** Which process the container is built for: the HTTP server, the worker, or a one-shot command. */
export type Role = "serve" | "worker" | "tool";

/** A slice of the composition root: binds one concern's ports, handlers or routes. */
export type Module = (container: Container, config: AppConfig, role: Role) => void;
