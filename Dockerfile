# syntax=docker/dockerfile:1
# Inkstone image: one image for every role (web, worker, scheduler, one-shot commands); the command picks the role.

# --- build: dev dependencies, compile TypeScript ---------------------------------------------------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 and @node-rs/argon2 ship prebuilt binaries; the toolchain is the fallback when none matches.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts \
    && npm rebuild better-sqlite3 sharp
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/build ./scripts/build
# The tsc output, then the start-up bundle (dist/bundle/, which bin/inkstone.js prefers when it is current).
RUN npx tsc -p tsconfig.build.json \
    && npx tsx scripts/build/bundle.ts \
    && npm prune --omit=dev

# --- runtime: production dependencies only, dump clients, non-root, tini ---------------------------------------
FROM node:22-bookworm-slim AS runtime
ARG VERSION=0.0.0
ARG COMMIT=unknown
ARG BUILD_DATE=unknown
LABEL org.opencontainers.image.title="inkstone" \
      org.opencontainers.image.description="Inkstone blog platform with built-in operations" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${COMMIT}" \
      org.opencontainers.image.created="${BUILD_DATE}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/inkstone/inkstone"
# mariadb-client / postgresql-client: mysqldump, mysqlbinlog and pg_dump for backup:run and backup:restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini mariadb-client postgresql-client ca-certificates \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    STORAGE_DIR=/app/storage
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The admin UI's static files (plain JS/CSS that tsc does not copy) sit beside its built module.
COPY --from=build --chown=node:node /app/src/http/admin/assets ./dist/http/admin/assets
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node bin ./bin
# /health and --version report the commit; the image has no .git to read it from.
RUN printf '{"commit":"%s"}\n' "${COMMIT}" > build-info.json \
    && mkdir -p /app/storage /backups \
    && chown -R node:node /app/storage /backups build-info.json
USER node
EXPOSE 3000
VOLUME ["/app/storage"]
# Liveness only: a slow database must not get the container restarted. (No --start-period: dockerfilelint 1.8
# rejects hyphenated options; 3 tries 10 s apart give the app 30 s to start.)
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini is PID 1: it forwards SIGTERM to node (which drains) and reaps the dump clients' children.
# --max-semi-space-size=4: V8's young generation at 2 x 4 MB instead of up to 2 x 16 MB, about 25 MB less resident
# memory for a few per cent more CPU on rendered pages (docs/operations/troubleshooting.md, "Memory").
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=4", "bin/inkstone.js"]
CMD ["serve"]
