using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data;
using Portal.Identity;

namespace Portal.Tests.Support;

/// <summary>
/// The portal as compose.yaml runs it, without Docker: the <c>dotnet publish</c> output (PORTAL_TEST_PUBLISH_DIR) started
/// twice in Production on a database of the private PostgreSQL that the portal itself creates, behind Debian's nginx
/// with deploy/nginx/kitashin.conf.template (TLS with a certificate made now, sticky sessions), and a Chromium that
/// reaches the proxy by the host name <see cref="HostName"/>.
/// </summary>
public sealed partial class ProductionStack : IAsyncLifetime
{
    /// <summary>Not localhost: ASP.NET's HSTS middleware leaves the header off for loopback host names.</summary>
    public const string HostName = "portal.kitashin.test";

    public const int ActivationRequestsPerMinute = 5;

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex TemplateVariable();

    private readonly string _folder = Directory.CreateTempSubdirectory("kitashin-smoke-").FullName;
    private ChildProcess? _proxy;
    private IPlaywright? _playwright;

    /// <summary>A new name on the private PostgreSQL: not created here, the portal creates it; dropped at the end.</summary>
    public TestDatabase Database { get; } = new();

    public PortalInstance[] Instances { get; private set; } = [];
    public int ProxyPort { get; private set; }
    public Uri BaseAddress => new($"https://{HostName}:{ProxyPort}/");
    public IBrowser Browser { get; private set; } = default!;

    public static string PublishDirectory =>
        Environment.GetEnvironmentVariable("PORTAL_TEST_PUBLISH_DIR") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "PORTAL_TEST_PUBLISH_DIR is not set. Run the tests with scripts/test, which publishes the portal for the smoke test.");

    public async ValueTask InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch (Exception failure)
        {
            // Nothing started may outlive a failed start.
            try
            {
                await DisposeAsync();
            }
            catch (Exception cleanup)
            {
                throw new AggregateException(failure, cleanup);
            }
            throw;
        }
    }

    private async Task StartAsync()
    {
        var portalDll = Path.Combine(PublishDirectory, "Portal.dll");
        if (!File.Exists(portalDll)) throw new InvalidOperationException($"{portalDll} does not exist: publish the portal first.");
        ProxyPort = ChildProcess.FreePort();
        Instances = [new PortalInstance(this, "portal-1"), new PortalInstance(this, "portal-2")];
        // Together, as compose starts them: the database is created and migrated once, under the portal's own lock.
        await Task.WhenAll(Instances.Select(instance => instance.StartAsync()));
        _proxy = StartProxy();
        using (var http = NewClient())
            await _proxy.WaitHealthyAsync(new Uri(BaseAddress, "/healthz"), TimeSpan.FromSeconds(30), http);

        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await BrowserPortal.LaunchChromiumAsync(_playwright, $"--host-resolver-rules=MAP {HostName} 127.0.0.1");
    }

    /// <summary>The environment of one instance: compose.yaml's, with this machine's addresses.</summary>
    internal Dictionary<string, string> InstanceEnvironment(int port) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Portal"] = Database.ConnectionString,
        ["DataProtection__CertificatePath"] = TestCertificate.PfxPath,
        ["DataProtection__CertificatePassword"] = TestCertificate.Password,
        ["Proxy__TrustedProxies__0"] = "127.0.0.1",
        ["Proxy__HttpsPort"] = ProxyPort.ToString(CultureInfo.InvariantCulture),
        ["Mail__Smtp__Host"] = "127.0.0.1",
        ["Mail__Smtp__Port"] = MailDev.SmtpPort.ToString(CultureInfo.InvariantCulture),
        ["Otp__ActivationRequestsPerMinute"] = ActivationRequestsPerMinute.ToString(CultureInfo.InvariantCulture),
        // Required outside Development: the bank's host name (and the address the health probe uses), and the mails' base.
        ["AllowedHosts"] = $"{HostName};127.0.0.1",
        ["Otp__PublicBaseUrl"] = BaseAddress.ToString(),
    };

    /// <summary>Debian's nginx in the foreground with the template compose.yaml ships, filled in as the nginx image does.</summary>
    private ChildProcess StartProxy()
    {
        var (certificate, key) = TestCertificate.WriteTlsPem(HostName, _folder);
        var values = new Dictionary<string, string>
        {
            ["PORTAL_1"] = $"127.0.0.1:{Instances[0].Port}",
            ["PORTAL_2"] = $"127.0.0.1:{Instances[1].Port}",
            // Loopback only: the test has no business listening on the machine's network.
            ["PROXY_PORT"] = $"127.0.0.1:{ProxyPort}",
            ["TLS_CERTIFICATE"] = certificate,
            ["TLS_CERTIFICATE_KEY"] = key,
        };
        var template = File.ReadAllText(Path.Combine(ChildProcess.RepositoryRoot(), "deploy", "nginx", "kitashin.conf.template"));
        File.WriteAllText(Path.Combine(_folder, "kitashin.conf"),
            TemplateVariable().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value)
                ? value
                : throw new InvalidOperationException($"the template uses ${{{m.Groups[1].Value}}}, which the test does not set")));

        // The image's nginx.conf around it, with every path in the temp folder. Workers run as root when the test does:
        // the folder is the test user's alone.
        var main = Path.Combine(_folder, "nginx.conf");
        File.WriteAllText(main, $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            pid {{_folder}}/nginx.pid;
            error_log {{_folder}}/error.log warn;
            events { worker_connections 512; }
            http {
                log_format smoke '$time_local $remote_addr "$request" $status upstream=$upstream_addr ($upstream_status) route=$cookie_kitashin_route';
                access_log {{_folder}}/access.log smoke;
                client_body_temp_path {{_folder}}/client_body;
                proxy_temp_path {{_folder}}/proxy;
                fastcgi_temp_path {{_folder}}/fastcgi;
                uwsgi_temp_path {{_folder}}/uwsgi;
                scgi_temp_path {{_folder}}/scgi;
                include {{_folder}}/kitashin.conf;
            }
            """);
        // Debian's nginx is in /usr/sbin, which a non-root PATH may lack.
        return ChildProcess.Start(new ProcessStartInfo(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx",
            ["-p", _folder + "/", "-c", main, "-e", Path.Combine(_folder, "error.log"), "-g", "daemon off;"]));
    }

    /// <summary>
    /// An HTTP client of the proxy by its host name, whose connections come from <paramref name="from"/> (127.0.0.1
    /// unless said), so that several "clients" can be told apart on one machine. Cookies kept; redirects not followed.
    /// </summary>
    public HttpClient NewClient(IPAddress? from = null, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies ?? new CookieContainer(),
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true }, // self-signed, made by the test
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from ?? IPAddress.Loopback, 0));
                    // The host name resolves to the proxy, as Chromium's resolver rule makes it.
                    await socket.ConnectAsync(IPAddress.Loopback, ProxyPort, cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A page in a browser context of its own, on the proxy's address.</summary>
    public Task<IPage> NewPageAsync(DesktopSize? size = null) =>
        BrowserPortal.NewPageAsync(Browser, BaseAddress, size, ignoreHttpsErrors: true);

    /// <summary>
    /// A customer made as the bank's onboarding would: straight into the database the instances migrated, with
    /// Identity's own UserManager (Production seeds no demo customers).
    /// </summary>
    public async Task<TestCustomer> CreateCustomerAsync(string displayName, string password = "Test-pass-1")
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContext<PostgresPortalDbContext>(o => o.UseNpgsql(Database.ConnectionString));
        services.AddIdentityCore<PortalUser>().AddEntityFrameworkStores<PostgresPortalDbContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        return await TestCustomer.CreateAsync(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>(), displayName, password);
    }

    /// <summary>Runs a test's steps; if one fails, its message carries what the instances and nginx said.</summary>
    public async Task ExplainFailureAsync(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException(e.Message + "\n\n" + Diagnostics(), e);
        }
    }

    private string Diagnostics()
    {
        var parts = Instances.Select(instance => $"--- {instance.Name} (port {instance.Port}) ---\n{Tail(instance.Output)}").ToList();
        parts.Add($"--- nginx ---\n{Tail(_proxy?.Output ?? "")}{Tail(ReadOrEmpty("error.log"))}");
        parts.Add($"--- nginx access log ---\n{Tail(ReadOrEmpty("access.log"))}");
        return string.Join("\n", parts);
    }

    private string ReadOrEmpty(string name)
    {
        var path = Path.Combine(_folder, name);
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private static string Tail(string text) => text.Length <= 12000 ? text : "…" + text[^12000..];

    /// <summary>Stops everything that started and drops the database; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Browser = null!;
        _playwright?.Dispose();
        _playwright = null;
        if (_proxy is not null) await _proxy.DisposeAsync();
        _proxy = null;
        foreach (var instance in Instances) await instance.DisposeAsync();
        await Database.DisposeAsync();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>One portal instance: <c>dotnet Portal.dll</c> from the publish folder, on its own loopback port.</summary>
public sealed class PortalInstance(ProductionStack stack, string name) : IAsyncDisposable
{
    private ChildProcess? _process;
    private string _earlierOutput = "";

    public string Name { get; } = name;
    public int Port { get; } = ChildProcess.FreePort();

    /// <summary>The instance itself, over plain HTTP, as an orchestrator's health probe reaches it.</summary>
    public Uri DirectAddress => new($"http://127.0.0.1:{Port}/");

    public string Output => _earlierOutput + (_process?.Output ?? "");

    /// <summary>Starts it and waits until /healthz answers 200.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(ProductionStack.PublishDirectory, "Portal.dll")])
        {
            WorkingDirectory = ProductionStack.PublishDirectory,
        };
        foreach (var (key, value) in stack.InstanceEnvironment(Port)) start.Environment[key] = value;
        _process = ChildProcess.Start(start);
        await _process.WaitHealthyAsync(new Uri(DirectAddress, "/healthz"), TimeSpan.FromSeconds(120));
    }

    /// <summary>Kills it, as a crash or a lost machine would.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        await _process.DisposeAsync();
        _earlierOutput += _process.Output + $"--- {Name} stopped ---\n";
        _process = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
