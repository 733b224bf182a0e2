#!/usr/bin/env node
// Entry point of the `kubecis` command.
import { ExitCode, readStdin, redactText } from "../index.js";
import { runCli } from "./program.js";

// A reader that stops reading (`kubecis list | head -1`) ends the run quietly, no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(ExitCode.OutputClosed);
  });
}

// Documents are redacted when they are built; every byte written is also passed through the
// structural rule (PEM blocks, URL credentials), so that no message that echoes an argument
// or an input can carry key material out.
const exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(redactText(text, true)),
  stderr: (text) => process.stderr.write(redactText(text, true)),
  stdin: readStdin,
  colour: Boolean(process.stdout.isTTY) && !process.env["NO_COLOR"],
  ...(process.stderr.isTTY ? { progress: (text: string) => process.stderr.write(text) } : {}),
});
process.exitCode = exitCode;
