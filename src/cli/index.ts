#!/usr/bin/env node
// Entry point of the `kubecis` command.
import { readFileSync } from "node:fs";
import { runCli } from "./program.js";

const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: () => readFileSync(0),
  colour: Boolean(process.stdout.isTTY) && !process.env["NO_COLOR"],
  ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(text) } : {}),
});
process.exitCode = exitCode;
