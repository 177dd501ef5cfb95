/**
 * Other spellings of a path: what a router may take for the route while a guard registered by
 * path does not (or the reverse).
 *
 * @module
 */

const hex = (char: string): string => `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
const swapCase = (text: string): string =>
  [...text].map((c, i) => (i % 2 === 1 ? c.toUpperCase() : c.toLowerCase())).join('');
const capitalize = (segment: string): string => segment.charAt(0).toUpperCase() + segment.slice(1);

/**
 * Spellings of `path` (an absolute path of lower-case segments, like `/api/me`) that are not
 * `path` itself, to send as raw request targets (see `getRaw`):
 * - case: `/API/ME`, `/Api/Me`, `/API/me`, `/api/ME`, `/aPi/mE`;
 * - percent-encoding of letters (RFC 3986 calls `%6D` and `m` the same): the first letter of each
 *   segment, the last letter, lower-case hex, every letter, an encoded capital;
 * - slashes and dots: `/api/me/`, `/api/me//`, `//api/me`, `///api/me`, `/api//me`, `/./api/me`,
 *   `/x/../api/me`, `/%2e/api/me`, `/api/me/.`, `/api%2Fme`, `/api/me%2F`, `/api/me;x`;
 * - and case mixed with slashes.
 *
 * Every one must either reach the route's guard or reach no route at all: a guarded route must
 * never answer one of them from its handler.
 *
 * @example
 * ```ts
 * for (const target of pathVariants('/api/me')) await getRaw(url, target); // 401 or 404
 * ```
 */
export function pathVariants(path: string): string[] {
  const segments = path.split('/').slice(1);
  if (!path.startsWith('/') || segments.some((s) => s === '' || s !== s.toLowerCase())) {
    throw new Error(`conformance: pathVariants takes a path like /api/me (got ${path}).`);
  }
  const join = (parts: readonly string[]) => `/${parts.join('/')}`;
  const withSegment = (index: number, segment: string) =>
    join(segments.map((s, i) => (i === index ? segment : s)));
  const last = segments.length - 1;
  const tail = segments[last] ?? '';

  const variants = [
    // case
    path.toUpperCase(),
    join(segments.map(capitalize)),
    withSegment(0, (segments[0] ?? '').toUpperCase()),
    withSegment(last, tail.toUpperCase()),
    join(segments.map(swapCase)),
    // percent-encoded letters
    ...segments.map((s, i) => withSegment(i, hex(s.charAt(0)) + s.slice(1))),
    withSegment(last, tail.slice(0, -1) + hex(tail.charAt(tail.length - 1))),
    withSegment(last, hex(tail.charAt(0)).toLowerCase() + tail.slice(1)),
    join(segments.map((s) => [...s].map(hex).join(''))),
    withSegment(0, hex((segments[0] ?? '').charAt(0).toUpperCase()) + (segments[0] ?? '').slice(1)),
    // slashes and dots
    `${path}/`,
    `${path}//`,
    `/${path}`,
    `//${path}`,
    `/${segments.join('//')}`,
    `/.${path}`,
    `/x/..${path}`,
    `/%2e${path}`,
    `${path}/.`,
    `/${segments.join('%2F')}`,
    `${path}%2F`,
    `${path};x`,
    // case and slashes together
    `${path.toUpperCase()}/`,
    `/${join(segments.map(capitalize))}`,
  ];
  return [...new Set(variants)].filter((variant) => variant !== path);
}
