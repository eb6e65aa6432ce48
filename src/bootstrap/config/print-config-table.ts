import { configTableMarkdown } from "./config-table.js";

// Run with `node --import tsx src/bootstrap/config/print-config-table.ts` and paste the output into the README.
process.stdout.write(`${configTableMarkdown()}\n`);
