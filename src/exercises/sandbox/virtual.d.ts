/** Built by src/build/sandbox-runtime.ts. */
declare module 'virtual:exercise-sandbox' {
  /** The sandbox worker's runtime, one classic script; the student's code is appended to it. */
  export const runtimeSource: string;
  /** The sandbox frame's document, for srcdoc. */
  export const frameHtml: string;
}
