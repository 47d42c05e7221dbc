// The image's HEALTHCHECK: exit 0 when the process answers its health URL with 2xx within 2 s, else 1.
const { HEALTHCHECK_URL, PORT = '3000' } = process.env;
const url = HEALTHCHECK_URL ?? `http://127.0.0.1:${PORT}/api/health`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
