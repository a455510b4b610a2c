// How any thrown value becomes the text a user reads: the one place that turns `unknown` into a message.

/** `error.message` for an Error, else the value as text (a thrown string, a Pyodide proxy). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
