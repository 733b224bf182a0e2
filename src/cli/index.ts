#!/usr/bin/env node
// Entry point of the `kubecis` command.
import { readFileSync } from "node:fs";
import { redactText } from "../normalizers/redact.js";
import { runCli } from "./program.js";

// Documents are redacted when they are built; every byte written is also passed through the
// structural rule (PEM blocks, URL credentials), so that no message that echoes an argument
// or an input can carry key material out.
const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(redactText(text, true)),
  stderr: (text) => process.stderr.write(redactText(text, true)),
  stdin: () => readFileSync(0),
  colour: Boolean(process.stdout.isTTY) && !process.env["NO_COLOR"],
});
process.exitCode = exitCode;
