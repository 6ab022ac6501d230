# syntax=docker/dockerfile:1
# One image for the API and the worker (docker-compose.yml runs `npm run api` / `npm run worker`
# from it). TypeScript runs through tsx, as in development; the workflow bundle is built once here
# so a worker starts without webpack.
FROM node:20-bookworm-slim

# ffmpeg/ffprobe for the media activities (transcode, watermark, posters); tini reaps and forwards
# signals so SIGTERM drains the worker and closes the API gracefully.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    STORAGE_DIR=/data/storage \
    NPM_CONFIG_UPDATE_NOTIFIER=false

# Dependencies first (cached while package*.json do not change). Install scripts stay off, as on
# the development machines (package.json "allowScripts"): the one package that needs them, the
# embedded PostgreSQL binaries, is unused here (DATABASE_URL points at the postgres service).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY . .
# The web app served at / (web/dist): built here with its own lock file, its build tools then removed.
RUN npm ci --prefix web --include=dev --ignore-scripts --no-audit --no-fund \
 && npm run build --prefix web \
 && rm -rf web/node_modules && npm cache clean --force
RUN npx tsx -e "require('./workers/bundle').bundleWorkflows('dist/workflow-bundle.js').then(() => console.log('workflow bundle built'))" \
 && mkdir -p /data/storage && chown -R node:node /data /app/dist

USER node
EXPOSE 3000 9464 9465
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["npm", "run", "api"]
