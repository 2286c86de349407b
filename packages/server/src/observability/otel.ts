/**
 * Optional OpenTelemetry tracing. Nothing is loaded unless an OTLP endpoint is configured
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`); then the SDK (an
 * optional dependency) traces inbound HTTP requests and outbound deliveries (undici), exporting
 * OTLP over HTTP. Start it BEFORE importing the server so the http module is instrumented:
 *
 * @example
 * import { startTracing } from '@herald/server/otel';
 * const tracing = await startTracing();
 * const { createHerald } = await import('@herald/server');
 */
export interface Tracing {
  shutdown(): Promise<void>;
}

export async function startTracing(
  env: Record<string, string | undefined> = process.env,
): Promise<Tracing | undefined> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  process.env.OTEL_SERVICE_NAME ??= 'herald';
  const [{ NodeSDK }, { OTLPTraceExporter }, { HttpInstrumentation }, { UndiciInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
  ]);
  const sdk = new NodeSDK({
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
