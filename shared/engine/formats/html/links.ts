/**
 * Search engines and mail filters wrap outbound links in click-tracking redirects; the destination is what a
 * reader (and an LLM) needs. Only well-known shapes are unwrapped, by URL parsing, never by guessing.
 */
export function unwrapRedirect(href: string): string {
  if (href.length > 8192 || !/^https?:\/\//i.test(href)) return href;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  const host = url.hostname.toLowerCase();
  // Bing: /ck/a?...&u=a1<base64url of the destination>
  if (/(^|\.)bing\.com$/.test(host) && url.pathname === '/ck/a') {
    const u = url.searchParams.get('u');
    if (u?.startsWith('a1')) {
      const decoded = decodeBase64Url(u.slice(2));
      if (decoded && /^https?:\/\//i.test(decoded)) return decoded;
      // Bing also wraps its own searches ("/search?q=..."): make them absolute on the same host.
      if (decoded?.startsWith('/') && !decoded.startsWith('//')) return `${url.origin}${decoded}`;
    }
  }
  // Google: /url?q=<destination> (or url=)
  if (/(^|\.)google\.[a-z.]+$/.test(host) && url.pathname === '/url') {
    const q = url.searchParams.get('q') ?? url.searchParams.get('url');
    if (q && /^https?:\/\//i.test(q)) return q;
  }
  return href;
}

function decodeBase64Url(s: string): string | undefined {
  try {
    const text = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    return text.includes('\ufffd') ? undefined : text;
  } catch {
    return undefined;
  }
}
