# Production image: `docker compose up -d --build` (see docker-compose.yml). Three stages: `build`
# compiles with every dependency, `deps` installs the production dependencies alone, and `runtime`
# gets those and the compiled output: no TypeScript, no test tools, no embedded PostgreSQL binaries
# (a development dependency; production always has DATABASE_URL). The code also runs on Node 20.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so source edits do not re-run `npm ci`. `npm ci` also builds the privacy
# center (the `prepare` script), so its sources come first too.
COPY package.json package-lock.json ./
COPY web ./web
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts run here (argon2 picks its prebuilt binary); the runtime stage runs none.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# The image is built once: `npm run jobs` / `npm run audit:verify` here skip their rebuilding
# pre-scripts (there is no TypeScript to rebuild with) and run the build above.
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0 \
    npm_config_ignore_scripts=true
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
# package.json for `npm run …`; the policy texts are read at run time (privacyPolicy).
COPY package.json ./
COPY policy ./policy

# The official node image ships an unprivileged `node` user; the app only reads /app.
USER node

# 4000: /graphql, /healthz, /readyz; 9464: /metrics when METRICS_PORT=9464 (compose sets it).
EXPOSE 4000 9464

# Ready means the database answers too: a container whose database is gone is not healthy.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The same file `npm start` runs, without its `prestart` rebuild.
CMD ["node", "dist/src/main.js"]
