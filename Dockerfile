# syntax=docker/dockerfile:1
# Node's current LTS (Node 20 reached end of life in April 2026; some dependencies already want
# Node 22+). The code itself still runs on Node 20.19+, which CI tests.
ARG NODE_IMAGE=node:24-bookworm-slim

# Build: TypeScript to plain JS, Prisma client generated from the schema.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Production dependencies only. Prisma's CLI, Studio, @prisma/dev and TypeScript come in as
# (optional) peers of @prisma/client, which --omit=dev alone keeps (433 MB); --omit=optional and
# --omit=peer leave them out. Install scripts only download engines nothing here uses.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prune-runtime.mjs ./scripts/
COPY --from=build /app/dist/src/generated ./dist/src/generated
RUN npm ci --omit=dev --omit=optional --omit=peer --ignore-scripts --no-audit --no-fund && node scripts/prune-runtime.mjs .

# Run: only what runs, as a non-root user. Migrations apply at start-up.
# Mount your flywheel.yml at /config/flywheel.yml and the data volume at /data (PGlite, when
# DATABASE_URL is unset). test/image.files.test.ts assembles and starts exactly these COPY lines.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production DATA_DIR=/data PORT=3000 FLYWHEEL_CONFIG=/config/flywheel.yml
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/bin ./bin
RUN mkdir -p /data /config && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
