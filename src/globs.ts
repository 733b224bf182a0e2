// Path globs, as users write them in waivers (`targets`) and --exclude: `*` and `?` within a
// path segment, `**` across segments, matched against paths however they are spelled.
import { isAbsolute, relative, resolve } from "node:path";

/**
 * Whether a target glob covers an input path, written either way a user writes them: `./`,
 * `.` segments and doubled slashes do not count; a relative glob covers a path given absolute
 * below the working directory, and an absolute glob a path given relative to it.
 */
export function globMatchesPath(glob: string, path: string, cwd: string = process.cwd()): boolean {
  if (path === "-") return globToRegExp(glob).test(path);
  const pattern = tidyPath(glob);
  const absolute = isAbsolute(path) ? resolve(path) : resolve(cwd, path);
  let subject: string;
  if (isAbsolute(pattern)) subject = absolute;
  else if (!isAbsolute(path)) subject = tidyPath(path);
  else {
    const below = relative(cwd, absolute);
    subject = below !== "" && !below.startsWith("..") && !isAbsolute(below) ? below : absolute;
  }
  return globToRegExp(pattern).test(subject);
}

/** A path without `./` prefixes, `.` segments or doubled slashes (`..` is kept: it is a real step). */
function tidyPath(path: string): string {
  let tidy = path.replace(/\/+/g, "/").replace(/\/(?:\.\/)+/g, "/").replace(/\/\.$/, "");
  while (tidy.startsWith("./")) tidy = tidy.slice(2);
  return tidy;
}

/** `**` crosses directories, `*` and `?` stay within one path segment. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      re += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
