using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>Clicks made the moment a page shows, while its circuit is still connecting, must not be lost.</summary>
[Collection(BrowserCollection.Name)]
public class EarlyClickTests(BrowserPortal browser)
{
    private const int FullPageLoads = 15;

    // A page load answers in well under this, even with the slow circuit below.
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 6_000 };

    [Fact]
    public async Task Menu_links_clicked_before_the_circuit_connects_still_open_their_page()
    {
        var customer = await browser.Portal.CreateCustomerAsync("早押 一郎");
        var page = await browser.NewPageAsync();
        await BrowserPortal.SignInAsync(page, customer);
        await BrowserPortal.ScreenshotAsync(page, "menu-after-sign-in");

        var circuit = await SlowCircuit.RouteAsync(page);
        var menuHeading = page.GetByRole(AriaRole.Heading, new() { Name = "メニュー画面" });
        var otpHeading = page.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード申請登録画面" });
        for (var load = 1; load <= FullPageLoads; load++)
        {
            await page.GotoAsync("/");
            await circuit.StartingAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "ワンタイムパスワード申請" }).ClickAsync();
            await Expect(otpHeading).ToBeVisibleAsync(Soon);
            await StaysOnceLiveAsync(page, otpHeading, "/otp");

            // And back: the OTP menu's link to the menu, clicked as soon as that page shows.
            await page.GotoAsync("/otp");
            await circuit.StartingAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "メニュー画面へ" }).ClickAsync();
            await Expect(menuHeading).ToBeVisibleAsync(Soon);
            await StaysOnceLiveAsync(page, menuHeading, "/");
        }
        await page.Context.CloseAsync();
    }

    /// <summary>The page reached is still there once the circuit has taken over, at its own address.</summary>
    private static async Task StaysOnceLiveAsync(IPage page, ILocator heading, string path)
    {
        await BrowserPortal.WaitForInteractiveAsync(page);
        await Expect(heading).ToBeVisibleAsync();
        Assert.Equal(path, new Uri(page.Url).AbsolutePath);
    }

    /// <summary>
    /// A phone network, made certain: every message from the server reaches the page 1.5 s late, and the test learns
    /// the moment the page asks the server to start its circuit (StartCircuit). A click then lands where the page looks
    /// ready but the circuit does not yet answer: before the fix, Blazor's enhanced navigation swapped in the fetched
    /// page, and the circuit, started for the old address, then drew the old page back at the new address.
    /// </summary>
    private sealed class SlowCircuit
    {
        private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(1500);
        private static readonly byte[] StartCircuitCall = System.Text.Encoding.ASCII.GetBytes("StartCircuit");
        private readonly Lock _gate = new();
        private TaskCompletionSource _circuitStarting = NewSignal();

        public static async Task<SlowCircuit> RouteAsync(IPage page)
        {
            var circuit = new SlowCircuit();
            await page.RouteWebSocketAsync(url => new Uri(url).AbsolutePath == "/_blazor", circuit.Relay);
            return circuit;
        }

        /// <summary>
        /// Waits for the circuit start of the page just loaded. Call right after the load: the server's handshake answer
        /// comes 1.5 s late, so this page cannot have asked yet, and an earlier page's request is forgotten.
        /// </summary>
        public async Task StartingAsync()
        {
            var starting = NewSignal();
            lock (_gate) _circuitStarting = starting;
            await starting.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }

        private void Relay(IWebSocketRoute page)
        {
            var server = page.ConnectToServer();
            var toPage = Task.CompletedTask; // one chain keeps the server's order
            page.OnMessage(frame =>
            {
                Forward(frame, server);
                if (frame.Binary is { } bytes && bytes.AsSpan().IndexOf(StartCircuitCall) >= 0)
                    lock (_gate) _circuitStarting.TrySetResult();
            });
            server.OnMessage(frame =>
            {
                var due = DateTime.UtcNow + Latency;
                lock (_gate) toPage = toPage.ContinueWith(async _ =>
                {
                    if (due - DateTime.UtcNow is { Ticks: > 0 } wait) await Task.Delay(wait);
                    Forward(frame, page);
                }, TaskScheduler.Default).Unwrap();
            });
        }

        private static void Forward(IWebSocketFrame frame, IWebSocketRoute to)
        {
            if (frame.Binary is { } bytes) to.Send(bytes);
            else to.Send(frame.Text ?? "");
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
