// The image's HEALTHCHECK: exit 0 when keel in this container is alive, 1 otherwise.
// One image runs `keel serve` (probes on HTTP__PORT) and `keel worker` (probes on WORKER__HEALTH_PORT),
// so it asks both ports on loopback: whichever process runs here answers /health/live on its own.
// Liveness, not readiness: a dependency outage is not a reason to restart a container.
// Checked against a real serve and worker by test/deploy/healthcheck.test.ts.
const ports = [process.env.HTTP__PORT ?? "3000", process.env.WORKER__HEALTH_PORT ?? "3001"];

async function alive(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/live`, {
      signal: AbortSignal.timeout(2000),
    });
    return response.status === 200;
  } catch {
    return false;
  }
}

const answers = await Promise.all(ports.map(alive));
process.exit(answers.includes(true) ? 0 : 1);
