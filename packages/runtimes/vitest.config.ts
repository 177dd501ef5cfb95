export { default } from '../../config/vitest.shared.ts';
