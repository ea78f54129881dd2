import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// The web app (SvelteKit, client-rendered): `npm run build` writes build/ (adapter-node), which the Express server
// mounts. Tests use vitest.config.ts, not this file.
export default defineConfig({
  plugins: [sveltekit()],
  build: { chunkSizeWarningLimit: 1500 },
});
