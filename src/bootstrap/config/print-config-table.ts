import { appConfig } from "../app-config.js";
import { configTableMarkdown, configTableRows } from "./config-table.js";

// Run with `node --import tsx src/bootstrap/config/print-config-table.ts` and paste the output into the README.
process.stdout.write(`${configTableMarkdown(configTableRows(appConfig))}\n`);
