import { defineConfig } from 'tsdown';
import { libraryBuild } from '../../config/tsdown.shared.ts';

export default defineConfig(libraryBuild);
