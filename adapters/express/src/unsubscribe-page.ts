/** The small HTML pages of /u/:token. Nothing from the request is echoed unescaped. */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** No scripts, no outside resources; the form may post only back here. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1rem}</style>
</head><body>${body}</body></html>`;
}

function what(channel: string, topic: string | undefined): string {
  return topic ? `“${escapeHtml(topic)}” messages on ${escapeHtml(channel)}` : `${escapeHtml(channel)} messages`;
}

/** GET: asks first. Link scanners prefetch GETs, so only the POST unsubscribes. */
export function confirmPage(channel: string, topic: string | undefined): string {
  return layout(
    "Unsubscribe",
    `<h1>Unsubscribe</h1><p>Stop receiving ${what(channel, topic)}?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
  );
}

export function donePage(channel: string, topic: string | undefined): string {
  return layout("Unsubscribed", `<h1>You are unsubscribed</h1><p>You will no longer receive ${what(channel, topic)}.</p>`);
}
