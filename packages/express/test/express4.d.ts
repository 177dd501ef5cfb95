/**
 * `express4` is Express 4.21 installed under an alias (devDependency) to run the conformance suite
 * on the older major too. The API the tests use is the same in 4 and 5, so it borrows 5's types.
 */
declare module 'express4' {
  import type express from 'express';

  const express4: typeof express;
  export default express4;
}
