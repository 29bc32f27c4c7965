import { defineConfig } from 'vitest/config';
import { sharedResolve, sharedTest } from '../../vitest.shared.js';

export default defineConfig({ test: { ...sharedTest }, resolve: sharedResolve });
