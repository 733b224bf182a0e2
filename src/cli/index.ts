#!/usr/bin/env node
// Entry point of the `kubecis` command.
import { ExitCode, readStdin, redactText } from "../index.js";
import { runCli } from "./program.js";

// A reader that stops reading (`kubecis list | head -1`) ends the run quietly, no stack trace.
// Output that cannot be written otherwise (a full disk) ends it too, with the same code, never
// one a gate could read as a verdict; the reason goes to stderr when stderr can take it.
for (const [name, stream] of [["standard output", process.stdout], ["standard error", process.stderr]] as const) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && stream === process.stdout) {
      try {
        process.stderr.write(`kubecis: ${name} could not be written (${error.code ?? "error"}); the report is incomplete\n`);
      } catch {
        // stderr is gone too: the exit code alone says it
      }
    }
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
