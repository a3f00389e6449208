// Anki's own messages name AnkiWeb; on every surface the server is Flipnem. The one rewrite
// of Anki's and the server's text, which otherwise travels as it came.

/** Anki's own messages name AnkiWeb; here the server is Flipnem (web addresses are left alone). */
export function flipnemNames(text: string): string {
  return text.replace(/\bAnkiWeb\b(?!\.\w)/gi, "Flipnem");
}
