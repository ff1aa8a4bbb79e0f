/**
 * The privacy center's build: `npm run build:web` writes web/dist, which the API server serves at
 * /privacy/. `npm run dev:web` serves it with hot reload and forwards /graphql to the API
 * (API_URL, default http://localhost:4000), so the session cookie stays first-party.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/privacy/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every asset a file of its own: data: URLs would need a looser Content-Security-Policy.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  server: {
    proxy: { '/graphql': process.env.API_URL ?? 'http://localhost:4000' },
  },
});
