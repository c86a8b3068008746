// The built UI (Vite's dist/: index.html, embed.html, hashed assets) on the API's port. Without a
// build, `/` and `/embed.html` say how to make one instead of answering a bare 404.
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';

const NOT_BUILT = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Segscope: UI not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Segscope</h1>
<p>The API is running, but the report UI has not been built yet.</p>
<p>Run <code>npm run build</code> and reload this page, or start with <code>npm start</code>
(which builds first), or use <code>npm run dev</code> for live reload.</p>
<p>The API answers at <code>POST /api/segmentation</code>; <a href="/healthz">/healthz</a> shows the store.</p>
</body>
</html>
`;

export const staticRoutes: FastifyPluginAsync<{ staticDir: string | null; fallbackPage?: boolean }> = async (app, { staticDir, fallbackPage = true }) => {
  if (staticDir && existsSync(path.join(staticDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: path.resolve(staticDir),
      prefix: '/',
      index: ['index.html'],
      setHeaders(reply, filePath) {
        // Vite names assets by content hash, so they never change; pages must be revalidated.
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    return;
  }
  if (!fallbackPage) return;
  const page = async (_request: unknown, reply: { type(t: string): unknown; send(b: string): unknown }) => {
    reply.type('text/html; charset=utf-8');
    return NOT_BUILT;
  };
  app.get('/', page);
  app.get('/embed.html', page);
};
