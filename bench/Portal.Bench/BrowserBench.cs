using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace Portal.Bench;

/// <summary>
/// The rows a browser measures, against the published portal in Production: the ログイン画面's first load (bytes on the
/// wire against the same bodies brotli-compressed here), the managed heap and the CPU of idle signed-in circuits on the
/// menu, the database statements of one signed-in page load and of static files (PostgreSQL's own statement log), and
/// the token app's first load and first code. Debian's Chromium, headless, through Playwright.
/// </summary>
internal sealed partial class BrowserBench(string server, string publishDirectory, string? postgresLog, Report report)
{
    public const int WarmCircuits = 2;
    public const int Circuits = 30;
    public const int TokenAppRuns = 3;
    private static readonly TimeSpan CpuWindow = TimeSpan.FromSeconds(30);

    private IBrowser _browser = default!;
    private Uri _base = default!;

    public async Task RunAsync(List<BenchCustomer> customers, List<BenchIssue> issues)
    {
        await using var portal = await PublishedPortal.StartAsync(publishDirectory, server);
        using var playwright = await Playwright.CreateAsync();
        await LaunchAsync(portal, playwright);

        var staticFiles = await LoginFirstLoadAsync();
        // Before the 30 circuits: a minutely check of the open circuits' sessions would fall into the count more often.
        var first = await SignInAsync(customers[^1]);
        await StatementsAsync(first, staticFiles);
        await first.Context.CloseAsync();
        await CircuitsAsync(portal, customers);
        await TokenAppAsync(issues);
        await _browser.CloseAsync();
    }

    /// <summary>
    /// bench/run --only heap: the circuits' rows, with a dump of the portal taken at the heap readings with all circuits
    /// and after closing the extra ones, and what closing them freed (what the heap row counts) listed by type and by
    /// owner (<see cref="HeapTypes"/>).
    /// </summary>
    public async Task HeapTypesAsync(List<BenchCustomer> customers)
    {
        var dumps = new List<string>();
        await using (var portal = await PublishedPortal.StartAsync(publishDirectory, server))
        {
            using var playwright = await Playwright.CreateAsync();
            await LaunchAsync(portal, playwright);
            await CircuitsAsync(portal, customers, dumps);
            await _browser.CloseAsync();
        }
        var (all, closed) = (dumps[0], dumps[1]);
        HeapTypes.Compare(closed, all, Circuits, report);
        foreach (var dump in dumps) File.Delete(dump); // kept when reading them failed
    }

    private async Task LaunchAsync(PublishedPortal portal, IPlaywright playwright)
    {
        _base = portal.BaseAddress;
        SetDefaultExpectTimeout(30_000);
        _browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    private async Task<IPage> NewPageAsync(ConcurrentQueue<IRequest>? requests = null, bool phone = false)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _base.ToString(), Locale = "ja-JP", TimezoneId = "Asia/Tokyo", IgnoreHTTPSErrors = true,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 860 },
        });
        context.SetDefaultTimeout(30_000);
        if (requests is not null) context.RequestFinished += (_, request) => requests.Enqueue(request);
        return await context.NewPageAsync();
    }

    /// <summary>Bytes on the wire (encoded bodies and response headers) of everything a first visit loaded.</summary>
    private static async Task<(long Wire, long Brotli, int Count, List<string> Paths)> WireBytesAsync(IEnumerable<IRequest> requests)
    {
        long wire = 0, brotli = 0;
        var paths = new List<string>();
        foreach (var request in requests)
        {
            var sizes = await request.SizesAsync();
            wire += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
            if (await request.ResponseAsync() is { } response && request.Method == "GET")
            {
                // The same body at brotli's best, as a publish compresses static files: the anchor.
                using var compressed = new MemoryStream();
                using (var encoder = new BrotliStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
                    encoder.Write(await response.BodyAsync());
                brotli += compressed.Length + sizes.ResponseHeadersSize;
                paths.Add(new Uri(request.Url).PathAndQuery);
            }
            else brotli += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
        }
        return (wire, brotli, requests.Count(), paths);
    }

    private async Task<List<string>> LoginFirstLoadAsync()
    {
        var requests = new ConcurrentQueue<IRequest>();
        var page = await NewPageAsync(requests);
        await page.GotoAsync("/login");
        await Expect(page.GetByLabel("ログインID")).ToBeEnabledAsync(); // the circuit is live
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var (wire, brotli, count, paths) = await WireBytesAsync(requests);
        await page.Context.CloseAsync();
        report.Row("login page first load, Production", $"{wire / 1024.0:F0} KB over {count} requests",
            $"the same bodies brotli-compressed here: {brotli / 1024.0:F0} KB", "≤ 150 KB", wire <= 150 * 1024);
        return paths.Where(p => p != "/login").ToList();
    }

    private async Task<IPage> SignInAsync(BenchCustomer customer)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/login");
        var id = page.GetByLabel("ログインID");
        await Expect(id).ToBeEnabledAsync();
        await id.FillAsync(customer.LoginId);
        await page.GetByLabel("ログインパスワード").FillAsync(customer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "メニュー画面" })).ToBeVisibleAsync();
        await page.Locator("[data-interactive=true]").WaitForAsync();
        return page;
    }

    /// <summary>
    /// Heap and CPU of <see cref="Circuits"/> idle circuits on the menu: the portal with <see cref="WarmCircuits"/>
    /// circuits (everything shared is loaded by then), with all of them, and again after the extra ones closed (their
    /// pages left, so the browser tells the portal). The heap per circuit is what closing them freed (the pools that
    /// grew while they signed in stay in both numbers); the CPU per circuit is the idle rate with all of them over the
    /// mean of the rates before and after. CPU is the process's own user + system time over <see cref="CpuWindow"/>.
    /// With <paramref name="dumps"/>, a dump of the portal follows the heap readings with all circuits and after closing.
    /// </summary>
    private async Task CircuitsAsync(PublishedPortal portal, List<BenchCustomer> customers, List<string>? dumps = null)
    {
        var pages = new List<IPage>();
        foreach (var customer in customers.Take(WarmCircuits)) pages.Add(await SignInAsync(customer));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var before = await portal.HeapAsync();
        var cpuBefore = await CpuRateAsync(portal);

        foreach (var customer in customers.Skip(WarmCircuits).Take(Circuits)) pages.Add(await SignInAsync(customer));
        await Task.Delay(TimeSpan.FromSeconds(20));
        var cpuOpen = await CpuRateAsync(portal);
        var open = await portal.HeapAsync();
        dumps?.Add(HeapTypes.Dump(portal.ProcessId, "all"));

        foreach (var page in pages.Skip(WarmCircuits))
        {
            await page.GotoAsync("about:blank");
            await page.Context.CloseAsync();
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await portal.HeapAsync();
        dumps?.Add(HeapTypes.Dump(portal.ProcessId, "closed"));
        var cpuAfter = await CpuRateAsync(portal);

        var closed = open.Circuits - after.Circuits;
        var heap = (open.Bytes - after.Bytes) / (double)Math.Max(closed, 1) / 1024;
        var cpu = (cpuOpen - (cpuBefore + cpuAfter) / 2) / Circuits;
        var table = report.Detail($"idle circuits on the menu ({WarmCircuits} warm, {Circuits} more, then those closed)",
            "signed-in circuits held | live managed heap KB | CPU ms per s (process)");
        table.Add($"| {WarmCircuits} circuits | {before.Circuits} | {before.Bytes / 1024:N0} | {cpuBefore:F2} |");
        table.Add($"| {WarmCircuits + Circuits} circuits | {open.Circuits} | {open.Bytes / 1024:N0} | {cpuOpen:F2} |");
        table.Add($"| {Circuits} closed | {after.Circuits} | {after.Bytes / 1024:N0} | {cpuAfter:F2} |");
        var measured = closed == Circuits;
        report.Row("managed heap per signed-in circuit idle on the menu",
            measured ? $"{heap:F0} KB (freed by closing {closed}; {(open.Bytes - before.Bytes) / 1024.0 / Circuits:F0} KB each counting the pools that grew)"
                : $"not measured: {closed} of {Circuits} circuits were released",
            "Microsoft: ~250 KB for a minimal circuit", "≤ 250 KB", measured && heap <= 250);
        report.Row("CPU per idle circuit", $"{cpu:F3} ms each second", "Microsoft: 5,000 clients on 1 vCPU", "≤ 0.05 ms each second", cpu <= 0.05);
        await pages[0].Context.CloseAsync();
        await pages[1].Context.CloseAsync();
    }

    private static async Task<double> CpuRateAsync(PublishedPortal portal)
    {
        var watch = Stopwatch.StartNew();
        var before = portal.CpuMilliseconds();
        await Task.Delay(CpuWindow);
        return (portal.CpuMilliseconds() - before) / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Statements the portal's database ran, from PostgreSQL's own log (log_statement = all while the step runs): a
    /// signed-in reload of the menu (the page, its files, and the new circuit until it is live), then static files.
    /// </summary>
    private async Task StatementsAsync(IPage page, List<string> staticFiles)
    {
        if (postgresLog is null)
        {
            report.Note("Statements were not counted: no --pg-log.");
            return;
        }
        Func<Task> reload = async () =>
        {
            await page.ReloadAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "メニュー画面" })).ToBeVisibleAsync();
            await page.Locator("[data-interactive=true]").WaitForAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
        };
        // After minutes of idling the first request also renews the recorded activity (due every 30 s) and checks the
        // security stamp (due every minute); the next load, seconds later, is what browsing the portal costs.
        await Task.Delay(TimeSpan.FromSeconds(65));
        var afterIdle = await StatementsDuringAsync(reload);
        var requests = new ConcurrentQueue<IRequest>();
        page.Context.RequestFinished += (_, request) => requests.Enqueue(request);
        var pageLoad = await StatementsDuringAsync(reload);
        report.Note("One load of the menu requests " + string.Join(", ", requests.Select(r => $"{r.Method} {new Uri(r.Url).AbsolutePath}")) +
            " and opens the circuit's WebSocket.");
        var table = report.Detail("statements seen by PostgreSQL", "count | statements");
        table.Add($"| a signed-in load of the menu after idling (page, files, circuit) | {afterIdle.Count} | {Listed(afterIdle)} |");
        table.Add($"| the next load of the menu (page, files, circuit) | {pageLoad.Count} | {Listed(pageLoad)} |");
        var statics = 0;
        foreach (var file in staticFiles.Where(p => !p.StartsWith("/_blazor", StringComparison.Ordinal)))
        {
            var seen = await StatementsDuringAsync(async () =>
            {
                await page.APIRequest.GetAsync(file);
                await Task.Delay(TimeSpan.FromSeconds(0.5));
            });
            statics += seen.Count;
            table.Add($"| GET {file}, signed in | {seen.Count} | {Listed(seen)} |");
        }
        report.Row("database statements for one signed-in page load",
            $"{pageLoad.Count} ({afterIdle.Count} after idling: activity and stamp due); static files: {statics}",
            "one check of the session per request", "≤ 3, none for static files", pageLoad.Count <= 3 && statics == 0);
    }

    private static string Listed(List<string> statements) => string.Join("; ", statements.Select(Shorten));

    [GeneratedRegex(@"^\S+ \S+ \S+ \[\d+\] (\S+) LOG:  (?:statement|execute [^:]*): (.*)$")]
    private static partial Regex LoggedStatement();

    private static string Shorten(string statement) =>
        statement.Length > 60 ? statement[..60].Replace("|", "\\|", StringComparison.Ordinal) + "…" : statement.Replace("|", "\\|", StringComparison.Ordinal);

    private async Task<List<string>> StatementsDuringAsync(Func<Task> step)
    {
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await Exec(admin, "ALTER SYSTEM SET log_statement = 'all'");
        await Exec(admin, "ALTER SYSTEM SET log_line_prefix = '%m [%p] %d '");
        await Exec(admin, "SELECT pg_reload_conf()");
        await Task.Delay(500);
        var offset = new FileInfo(postgresLog!).Length;
        await step();
        await Exec(admin, "ALTER SYSTEM RESET log_statement");
        await Exec(admin, "ALTER SYSTEM RESET log_line_prefix");
        await Exec(admin, "SELECT pg_reload_conf()");
        await using var log = new FileStream(postgresLog!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        log.Seek(offset, SeekOrigin.Begin);
        var statements = new List<string>();
        using var reader = new StreamReader(log);
        while (await reader.ReadLineAsync() is { } line)
            if (LoggedStatement().Match(line) is { Success: true } m && m.Groups[1].Value == InProcessPortal.Database)
                statements.Add(m.Groups[2].Value);
        return statements;

        static async Task Exec(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// The token app from its mail link in a new phone-sized browser: bytes and time until 通信の許諾 shows (first load),
    /// then the time from 送信 on 初期設定 to the first code (activation, 完了, 次へ). Median of <see cref="TokenAppRuns"/>.
    /// </summary>
    private async Task TokenAppAsync(List<BenchIssue> issues)
    {
        var runs = new List<(double Bytes, double Load, double Code)>();
        var table = report.Detail("token app, a new browser each run", "KB on the wire | requests | first load s | first code s");
        foreach (var issue in issues.Take(TokenAppRuns))
        {
            var requests = new ConcurrentQueue<IRequest>();
            var phone = await NewPageAsync(requests, phone: true);
            var watch = Stopwatch.StartNew();
            await phone.GotoAsync($"/token/?code={issue.DownloadCode}");
            await Expect(phone.GetByText("このアプリはネットワーク通信を行います。よろしいですか？")).ToBeVisibleAsync();
            var load = watch.Elapsed.TotalSeconds;
            await phone.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var (wire, _, count, _) = await WireBytesAsync(requests);

            await phone.GetByRole(AriaRole.Button, new() { Name = "はい" }).ClickAsync();
            await phone.GetByLabel("サービスID").FillAsync(issue.ServiceId);
            await phone.GetByLabel("ユーザID").FillAsync(issue.TokenUserId);
            await phone.GetByLabel("利用開始パスワード").FillAsync(issue.ActivationPassword);
            watch.Restart();
            await phone.GetByRole(AriaRole.Button, new() { Name = "送信" }).ClickAsync();
            await Expect(phone.GetByText("初期設定が正常に完了しました。")).ToBeVisibleAsync();
            await phone.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
            await Expect(phone.GetByTestId("otp-code")).ToHaveTextAsync(SixDigits());
            var code = watch.Elapsed.TotalSeconds;
            await phone.Context.CloseAsync();
            runs.Add((wire, load, code));
            table.Add($"| run {runs.Count} | {wire / 1024.0:N0} | {count} | {load:F2} | {code:F2} |");
        }
        var bytes = Timing.Median(runs.Select(r => r.Bytes)) / (1024.0 * 1024);
        var firstLoad = Timing.Median(runs.Select(r => r.Load));
        var firstCode = Timing.Median(runs.Select(r => r.Code));
        report.Row("token app: first load / first code (set up)", $"{bytes:F2} MB on the wire, {firstLoad:F2} s / {firstCode:F2} s (median of {runs.Count})",
            "—", "keep ≤ 3 MB, ≤ 2 s", bytes <= 3 && firstLoad <= 2 && firstCode <= 2);
    }

    [GeneratedRegex(@"^\s*\d{3}\s?\d{3}\s*$")]
    private static partial Regex SixDigits();
}
