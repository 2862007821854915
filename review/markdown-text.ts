/** Text that goes into the review's Markdown, made inert: values from plans and specs never become markup. */

/**
 * An inline code span holding `text` exactly, whatever backticks it contains (CommonMark: a fence
 * longer than any run inside, padded with spaces when the text starts or ends with a backtick).
 * Line breaks become spaces. In a table cell (`inTable`) pipes are escaped: GFM splits cells on them
 * even inside code, and drops the backslash there.
 */
export function code(text: string, inTable = false): string {
  const flat = oneLine(text);
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${inTable ? flat.replace(/\|/g, "\\|") : flat}${pad}${fence}`;
}

/**
 * Plain text on one line, for a table cell or list item: the characters that start links, HTML,
 * emphasis or code are backslash-escaped, and so are pipes.
 */
export function plain(text: string): string {
  return oneLine(text).replace(/[\\`*[\]<>|&~]/g, (c) => `\\${c}`);
}

function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, " ");
}
