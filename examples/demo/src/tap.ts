/** One request as it left a service: what an eavesdropper on the loopback would have seen. */
export interface Captured {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Tap {
  readonly fetch: typeof fetch;
  /** Requests sent to URLs starting with `prefix`, oldest first. */
  to(prefix: string): Captured[];
}

/** A fetch that records every request before sending it, so the demo can replay what it saw. */
export function createTap(inner: typeof fetch = fetch): Tap {
  const seen: Captured[] = [];
  const tapped: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).forEach((value, name) => (headers[name] = value));
    seen.push({ url, method: init?.method ?? 'GET', headers });
    return inner(input, init);
  };
  return { fetch: tapped, to: (prefix) => seen.filter((c) => c.url.startsWith(prefix)) };
}
