import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app is served by the API at / (api/routes/web.ts); `npm run dev` proxies the API for live editing.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false, target: 'es2022', modulePreload: { polyfill: false } },
  server: { proxy: { '/v1': process.env.API_URL ?? 'http://127.0.0.1:3000', '/dev': process.env.API_URL ?? 'http://127.0.0.1:3000' } },
});
