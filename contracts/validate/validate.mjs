// Validate an AsyncAPI document with the official parser: exit 1 on any error (severity 0).
// Usage: node contracts/validate/validate.mjs [contracts/asyncapi.json]
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";

const path = process.argv[2] ?? new URL("../asyncapi.json", import.meta.url).pathname;
const { document, diagnostics } = await new Parser().parse(await readFile(path, "utf8"));
const errors = diagnostics.filter((d) => d.severity === 0);
for (const d of diagnostics) {
  const level = ["error", "warning", "info", "hint"][d.severity];
  console.log(`${level} ${d.code} at ${d.path.join(".") || "/"}: ${d.message}`);
}
if (errors.length || !document) {
  console.error(`${path}: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(`${path}: valid AsyncAPI ${document.version()}`);
