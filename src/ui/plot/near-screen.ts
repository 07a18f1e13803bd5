/**
 * Whether a chart is on screen or about to be. A Plotly draw costs tens of milliseconds
 * of the page's main thread, so charts far from the screen (Run all fills every section
 * at once) wait until the reader comes near them; the numbers are there all along, in
 * the chart's table. Printing draws every chart that is still waiting.
 */

/** How far beyond the screen a chart counts as near: half a screen above and below. */
const NEAR_MARGIN = '50% 0px';

/**
 * Call `onChange(near)` as `el` comes near the screen or leaves it, and `onPrint()` before
 * the page prints. Without IntersectionObserver (old browsers, jsdom) everything is near.
 * Returns the function that stops watching.
 */
export function watchNearScreen(el: Element, onChange: (near: boolean) => void, onPrint: () => void): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    onChange(true);
    return () => {};
  }
  const io = new IntersectionObserver((entries) => onChange(entries[entries.length - 1].isIntersecting), { rootMargin: NEAR_MARGIN });
  io.observe(el);
  addEventListener('beforeprint', onPrint);
  return () => {
    io.disconnect();
    removeEventListener('beforeprint', onPrint);
  };
}
