/**
 * The typeset math's fonts, loaded ahead of need. A browser fetches a font face when
 * text first uses it, and the lesson's prose is laid out only near the screen; so a face
 * for a symbol further down (a blackboard letter, a big sum sign) is fetched the first
 * time that math shows. Ask quotes the lesson's math from any section: opened online and
 * then used offline (before the service worker serves the page), it would draw those
 * symbols in a fallback font. Opening Ask loads every KaTeX face the page declares.
 */

/** Start loading each KaTeX face not loaded yet; failures (offline) are left to the browser's fallback. */
export function loadMathFonts(fonts: FontFaceSet | undefined = globalThis.document?.fonts): void {
  fonts?.forEach((face) => {
    if (face.family.replace(/["']/g, '').startsWith('KaTeX_') && face.status === 'unloaded') face.load().catch(() => undefined);
  });
}
