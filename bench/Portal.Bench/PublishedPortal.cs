using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Portal.Tests.Support;

namespace Portal.Bench;

/// <summary>
/// The Release publish of the portal as its own process, in Production, on HTTPS (Kestrel with a self-signed
/// certificate: browsers send Accept-Encoding: br only over TLS), on the in-process portal's database. Its management
/// port serves /bench/heap (Bench:HeapProbe); its CPU time is read from the operating system.
/// </summary>
internal sealed class PublishedPortal : IAsyncDisposable
{
    private readonly Process _process;
    private readonly int _managementPort;

    private PublishedPortal(Process process, int port, int managementPort)
    {
        _process = process;
        _managementPort = managementPort;
        BaseAddress = new Uri($"https://127.0.0.1:{port}/");
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public static async Task<PublishedPortal> StartAsync(string publishDirectory, string server)
    {
        var (port, managementPort) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet", [Path.Combine(publishDirectory, "Portal.dll")])
        {
            WorkingDirectory = publishDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var environment = new Dictionary<string, string>(InProcessPortal.Settings(server))
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"https://127.0.0.1:{port}",
            ["Kestrel:Certificates:Default:Path"] = TestCertificate.PfxPath,
            ["Kestrel:Certificates:Default:Password"] = TestCertificate.Password,
            ["Observability:MetricsPort"] = managementPort.ToString(CultureInfo.InvariantCulture),
            [Portal.Hosting.ObservabilityHosting.HeapProbeKey] = "true",
            // Every browser of the bench signs in from 127.0.0.1.
            ["SignIn:AttemptsPerMinutePerAddress"] = "1000",
            ["Otp:ActivationRequestsPerMinute"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in environment) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("the portal did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine("portal: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portal = new PublishedPortal(process, port, managementPort);
        using var http = Insecure();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(250))
        {
            if (process.HasExited) throw new InvalidOperationException($"the portal exited with {process.ExitCode}");
            try
            {
                if ((await http.GetAsync(new Uri(portal.BaseAddress, "/healthz"))).StatusCode == HttpStatusCode.OK) return portal;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the portal did not answer /healthz within 60 s");
        }
    }

    /// <summary>CPU time the portal's process has used (user + system), in milliseconds.</summary>
    public double CpuMilliseconds()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalMilliseconds;
    }

    /// <summary>The live managed heap after a full compacting collection, in bytes, and the signed-in circuits held.</summary>
    public async Task<(long Bytes, int Circuits)> HeapAsync()
    {
        using var http = new HttpClient();
        var answer = (await http.GetStringAsync($"http://127.0.0.1:{_managementPort}{Portal.Hosting.ObservabilityHosting.HeapProbePath}")).Split(' ');
        return (long.Parse(answer[0], CultureInfo.InvariantCulture), int.Parse(answer[1], CultureInfo.InvariantCulture));
    }

    public static HttpClient Insecure() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    }) { Timeout = TimeSpan.FromSeconds(10) };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
