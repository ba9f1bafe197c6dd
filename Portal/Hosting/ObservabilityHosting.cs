using System.Globalization;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Portal.Hosting;

/// <summary>
/// What the operations team reads (docs/decisions/0007): JSON logs outside Development, the security events of
/// <see cref="SecurityLog"/>, metrics (ASP.NET Core, Npgsql, the portal's own) on a Prometheus scrape endpoint served
/// on a management port only, and traces over OTLP when an endpoint is configured.
/// </summary>
public static class ObservabilityHosting
{
    public const string MetricsPortKey = "Observability:MetricsPort";
    public const string MetricsPath = "/metrics";

    /// <summary>The standard OpenTelemetry variable; the exporter reads the rest (protocol, headers) itself.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddPortalObservability(this WebApplicationBuilder builder)
    {
        // One JSON object per line for the log collector; people read the console in Development.
        if (!builder.Environment.IsDevelopment())
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });

        builder.Services.AddSingleton<PortalMetrics>();
        builder.Services.AddSingleton<SecurityLog>();

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("kitashin-portal"));
        if (MetricsPort(builder.Configuration) is { } port)
        {
            telemetry.WithMetrics(metrics => metrics
                .AddMeter(PortalMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddNpgsqlInstrumentation()
                // Each scrape reads the counters as they are now.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
            ListenAlsoOn(builder, port);
        }
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        return builder;
    }

    /// <summary>
    /// The management port serves the scrape endpoint and nothing else; the public port never serves it. The port is
    /// the connection's, not the Host header's: a client can write any Host header to the public port.
    /// </summary>
    public static WebApplication MapPortalObservability(this WebApplication app)
    {
        if (MetricsPort(app.Configuration) is { } port)
            app.MapWhen(context => context.Connection.LocalPort == port, management =>
            {
                if (app.Configuration.GetValue<bool>(HeapProbeKey)) management.Map(HeapProbePath, HeapProbe);
                management.UseOpenTelemetryPrometheusScrapingEndpoint(MetricsPath);
                management.Run(context =>
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                });
            });
        return app;
    }

    /// <summary>
    /// bench/run's measure of the managed heap per circuit, on the management port only and only when this key is true
    /// (never in the image): the live heap after a full, compacting collection, in bytes, and the signed-in circuits
    /// open (including disconnected ones still kept). A forced collection stalls
    /// every circuit, which is why no production setting turns it on.
    /// </summary>
    public const string HeapProbeKey = "Bench:HeapProbe";
    public const string HeapProbePath = "/bench/heap";

    private static void HeapProbe(IApplicationBuilder probe) => probe.Run(context =>
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var circuits = context.RequestServices.GetRequiredService<Portal.Identity.CircuitSignIns>().Count;
        return context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"{GC.GetTotalMemory(forceFullCollection: false)} {circuits}"));
    });

    /// <summary>The management port; null (no metrics endpoint) when unset or 0.</summary>
    private static int? MetricsPort(IConfiguration configuration) =>
        configuration.GetValue<int?>(MetricsPortKey) is > 0 and var port ? port : null;

    /// <summary>
    /// Kestrel listens on the management port besides the public addresses. An endpoint set in code would replace the
    /// configured addresses (URLS, or HTTP_PORTS as the container sets), so the port is added to them instead.
    /// Tests on the in-memory server listen on nothing, and a test that sets Kestrel's endpoints in code replaces these.
    /// </summary>
    private static void ListenAlsoOn(WebApplicationBuilder builder, int port)
    {
        var configuration = builder.Configuration;
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            urls = string.Join(';', Urls("http", configuration[WebHostDefaults.HttpPortsKey])
                .Concat(Urls("https", configuration[WebHostDefaults.HttpsPortsKey])));
            // Taken over into the URLs: cleared, or every start would warn that URLS overrides them.
            builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "");
            builder.WebHost.UseSetting(WebHostDefaults.HttpsPortsKey, "");
        }
        if (string.IsNullOrWhiteSpace(urls)) urls = "http://localhost:5000"; // Kestrel's own default
        builder.WebHost.UseUrls($"{urls};http://*:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    private static IEnumerable<string> Urls(string scheme, string? ports) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => $"{scheme}://*:{p}");
}
