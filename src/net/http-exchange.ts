/** What services may know of the caller's HTTP request and do to its response, apart from the API layer. */

/** What the caller's HTTP request tells us, reduced to what consent evidence may keep (P2). */
export interface RequestOrigin {
  readonly userAgent: string | null;
  readonly ip: string | null;
}

/** Cookie attributes this API uses (P6): always HttpOnly and SameSite=Strict, so not optional. */
export interface CookieOptions {
  readonly path: string;
  readonly maxAgeSeconds: number;
  readonly secure: boolean;
}

/** What a service may do to the HTTP response: set a cookie, nothing else. */
export interface HttpControls {
  setCookie(name: string, value: string, options: CookieOptions): void;
}
