/**
 * HTML link rewriting for click tracking. A regular expression over `<a ... href="...">` is used on
 * purpose instead of an HTML parser: the markup is our own rendered template, and a parse-and-serialise
 * round trip would reformat it (and mail clients are picky about markup); only the href values change.
 */
const ANCHOR_HREF = /(<a\b[^>]*?\shref\s*=\s*)(["'])(.*?)\2/gis;

const ENTITIES: Record<string, string> = { "&amp;": "&", "&quot;": '"', "&#39;": "'", "&apos;": "'", "&lt;": "<", "&gt;": ">" };

function decodeAttribute(value: string): string {
  return value
    .replace(/&(?:amp|quot|#39|apos|lt|gt);/g, (e) => ENTITIES[e] ?? e)
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)));
}

function encodeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#39;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Rewrites the target of every absolute http(s) link through `track(url)`. Links to `skipPrefix` (our own
 * unsubscribe and click routes), mailto:/tel:/anchors, and anchors marked `data-nudge-notrack` are kept.
 */
export function rewriteLinks(html: string, track: (url: string) => string, skipPrefix: string): string {
  return html.replace(ANCHOR_HREF, (whole, head: string, quote: string, raw: string) => {
    if (/\sdata-nudge-notrack\b/i.test(head)) return whole;
    const url = decodeAttribute(raw.trim());
    if (!/^https?:\/\//i.test(url) || url.startsWith(skipPrefix)) return whole;
    try {
      new URL(url);
    } catch {
      return whole; // not a URL a browser would follow either
    }
    return `${head}${quote}${encodeAttribute(track(url))}${quote}`;
  });
}

/** Puts a 1x1 image before `</body>` (or at the end when the HTML is a fragment). */
export function insertOpenPixel(html: string, src: string): string {
  const img = `<img src="${encodeAttribute(src)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
  const close = html.search(/<\/body\s*>/i);
  return close === -1 ? `${html}${img}` : `${html.slice(0, close)}${img}${html.slice(close)}`;
}
