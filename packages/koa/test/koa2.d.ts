/**
 * `koa2` is Koa 2.16 installed under an alias (devDependency) to run the conformance suite on the
 * older major too. The API the tests use is the same in 2 and 3, so it borrows 3's types.
 */
declare module 'koa2' {
  import type Koa from 'koa';

  const Koa2: typeof Koa;
  export default Koa2;
}
