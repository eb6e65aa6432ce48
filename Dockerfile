# syntax=docker/dockerfile:1
# keel's container image: `docker build -t keel .` from the repository root.
#
# One image for every keel command; the command is the container's arguments:
#   docker run keel serve | keel worker | keel migrate up
# Stages: deps (every dependency, exactly as locked) → build (tsc to dist/) → prod-deps (runtime
# dependencies only) → runtime (dist/ and those, as a non-root user). Checked by
# test/deploy/dockerfile.test.ts (a Dockerfile linter, and the properties below).

# The base image, pinned by digest so a rebuild of the same commit gets the same bytes. The digest is
# a placeholder until the team vets one: `docker buildx imagetools inspect node:20.19-bookworm-slim`
# prints it; Dependabot (docker ecosystem) then proposes updates. CI refuses to push a release image
# while the placeholder is here (.github/workflows/ci.yml).
ARG NODE_IMAGE=node:20.19-bookworm-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# `npm ci`'s prepare script links bin/keel.mjs into node_modules/.bin.
COPY package.json package-lock.json ./
COPY bin ./bin
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The plugins compile beside src (dist/plugins), where keel looks for them; PLUGINS__ENABLED picks.
COPY plugins ./plugins
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY bin ./bin
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    APP_ENV=production
WORKDIR /app
# Owned by root and not writable by keel's user: with PostgreSQL nothing is written under /app (set
# LOG__FILE to a mounted volume to log to a file).
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY deploy/docker/healthcheck.mjs ./deploy/docker/healthcheck.mjs
# The node image's unprivileged user (uid 1000); Kubernetes' runAsNonRoot checks the numeric id.
USER 1000:1000
# 3000: the API (serve); 3001: the worker's health probes and /metrics.
EXPOSE 3000 3001
# Node is PID 1 and receives SIGTERM itself: keel handles SIGTERM and SIGINT (drain, then exit 0),
# starts no child processes (so none to reap), and the exec form below puts no shell in between.
STOPSIGNAL SIGTERM
# Liveness only: readiness is for load balancers, and a dependency outage must not restart keel.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "deploy/docker/healthcheck.mjs"]
ENTRYPOINT ["node", "dist/src/bootstrap/cli.js"]
CMD ["serve"]
