/**
 * Text from a model (or quoted from one) made safe to print: escape sequences and other control
 * characters could move the cursor, rewrite earlier lines or retitle the terminal, so everything
 * but line feeds and tabs is dropped.
 */
export function terminalSafe(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      // eslint-disable-next-line no-control-regex -- removing control characters is the point: model text must not drive the terminal
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "")
  );
}
