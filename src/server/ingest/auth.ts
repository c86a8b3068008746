// Project token and API secret checks, in constant time so a caller cannot guess them byte by byte.
import { timingSafeEqual, createHash } from 'node:crypto';

function sameText(a: string, b: string): boolean {
  // Hash first so unequal lengths compare in constant time too.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const expectedDigests = new Map<string, Buffer>();
/** One hash per event: the expected token's digest is computed once. */
export function tokenMatches(sent: string, expected: string): boolean {
  let digest = expectedDigests.get(expected);
  if (!digest) {
    digest = createHash('sha256').update(expected).digest();
    expectedDigests.set(expected, digest);
  }
  return timingSafeEqual(createHash('sha256').update(sent).digest(), digest);
}

/**
 * Mixpanel's /import authentication: HTTP Basic with the API secret as the user name (password
 * empty), or a service-account style `user:secret`.
 */
export function basicAuthMatches(header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  // Evaluate both so timing does not reveal which part matched.
  const userOk = sameText(user, secret);
  const passwordOk = sameText(password, secret);
  return userOk || passwordOk;
}
