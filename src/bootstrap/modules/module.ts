import type { Container } from "inversify";
import type { AppConfig } from "../config/index.js";

/** A slice of the composition root: binds one concern's ports, handlers or routes. */
export type Module = (container: Container, config: AppConfig) => void;
