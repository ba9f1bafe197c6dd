using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Production;

/// <summary>
/// The production smoke test: the published portal, twice, in Production, behind nginx terminating TLS with the proxy
/// configuration compose.yaml ships (see <see cref="ProductionStack"/>). What the Dockerfile and compose.yaml would run,
/// on a machine without Docker.
/// </summary>
public class ProductionSmokeTests(ProductionStack stack) : IClassFixture<ProductionStack>
{
    /// <summary>
    /// Through the proxy, in Chromium: sign-in, トークン発行 (the mail's URL on the proxy's address), the token app's set-up
    /// on a phone, 利用開始, sign-out and sign-in with the app's next code. Every cookie is Secure. Then each instance in
    /// turn is stopped: the customer, reloading, is still signed in on the other (so the one they were on was stopped once).
    /// </summary>
    [Fact]
    public Task A_customer_enrolls_and_signs_in_with_the_code_through_the_proxy_and_stays_signed_in_when_either_instance_stops() =>
        stack.ExplainFailureAsync(async () =>
        {
            var customer = await stack.CreateCustomerAsync("北 新太郎");
            var mobile = $"prod{Guid.NewGuid():N}"[..14] + "@docomo.ne.jp";
            var portal = await stack.NewPageAsync();
            await BrowserPortal.SignInAsync(portal, customer);
            await BrowserPortal.ScreenshotAsync(portal, "production-menu");

            var (url, serviceId, userId) = await OtpSteps.IssueTokenAsync(portal, mobile, "2580", shots: null);
            Assert.StartsWith(new Uri(stack.BaseAddress, "/token/?code=").ToString(), url);
            var phone = await stack.NewPageAsync(BrowserPortal.Phone);
            var code = await OtpSteps.SetUpTokenAppAsync(phone, url, serviceId, userId, "2580", shots: null);
            await OtpSteps.StartUseAsync(portal, code, shots: null);
            await BrowserPortal.ScreenshotAsync(portal, "production-otp-in-use");

            await OtpSteps.SignOutAsync(portal);
            await OtpSteps.SignInWithPasswordAsync(portal, customer);
            await OtpSteps.EnterCodeAsync(portal, await OtpSteps.FreshCodeAsync(phone, [code]));
            await StillSignedInAsync(portal);
            await phone.Context.CloseAsync();
            // Nothing private is cached: a signed-in page says no-store, through the proxy.
            var menu = await portal.GotoAsync("/");
            Assert.Equal("no-store", await menu!.HeaderValueAsync("cache-control"));
            await StillSignedInAsync(portal);

            var cookies = await portal.Context.CookiesAsync([stack.BaseAddress.ToString()]);
            Assert.Contains(cookies, c => c.Name == "kitashin.session" && c.HttpOnly);
            Assert.Contains(cookies, c => c.Name == "kitashin_route"); // the proxy's sticky-session cookie
            Assert.All(cookies, c => Assert.True(c.Secure, $"cookie {c.Name} is not Secure"));

            foreach (var stopped in stack.Instances)
            {
                await stopped.StopAsync();
                await portal.ReloadAsync();
                await StillSignedInAsync(portal);
                // The circuit on the instance left over works: the OTP menu reads the database.
                await portal.GetByRole(AriaRole.Link, new() { Name = "ワンタイムパスワード申請" }).ClickAsync();
                await Expect(portal.GetByTestId("otp-status")).ToHaveTextAsync("利用中");
                await portal.GotoAsync("/");
                await stopped.StartAsync();
            }
            await BrowserPortal.ScreenshotAsync(portal, "production-after-failover");
            await portal.Context.CloseAsync();
        });

    /// <summary>
    /// HSTS on an HTTPS answer for the bank's host name; a host not in AllowedHosts refused; no demo customer (kitashin01 gets the one failure message, the
    /// database holds no demo rows); /dev/mailbox is a 404; an instance asked over plain HTTP sends the browser to HTTPS
    /// on the proxy's port (its health probe excepted).
    /// </summary>
    [Fact]
    public Task Production_sends_HSTS_has_no_demo_data_no_dev_pages_and_redirects_plain_HTTP_to_the_proxy() =>
        stack.ExplainFailureAsync(async () =>
        {
            var page = await stack.NewPageAsync();
            var login = await page.GotoAsync("/login");
            Assert.Equal(200, login!.Status);
            var hsts = await login.HeaderValueAsync("strict-transport-security");
            Assert.Equal("max-age=31536000; includeSubDomains", hsts);

            await BrowserPortal.FillLoginAsync(page, "kitashin01", "Kitashin-01");
            await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "ログインIDまたはログインパスワードが正しくありません。" })).ToBeVisibleAsync();
            Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath);
            await page.Context.CloseAsync();
            await using (var db = stack.Database.CreateContext())
            {
                Assert.False(await db.Users.AnyAsync(u => u.UserName!.StartsWith("kitashin0") || u.UserName == "admin01"));
                Assert.False(await db.Notices.AnyAsync());
            }

            using var http = stack.NewClient();
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/dev/mailbox")).StatusCode);

            // A host that AllowedHosts does not list is refused, whether through the proxy or at an instance.
            using var phished = new HttpRequestMessage(HttpMethod.Get, "/login");
            phished.Headers.Host = $"evil.localhost:{stack.ProxyPort}";
            Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(phished)).StatusCode);

            using var direct = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.Instances[0].DirectAddress };
            using var plain = new HttpRequestMessage(HttpMethod.Get, "/login");
            plain.Headers.Host = $"{ProductionStack.HostName}:8080";
            var redirect = await direct.SendAsync(plain);
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
            using var evil = new HttpRequestMessage(HttpMethod.Get, "/login");
            evil.Headers.Host = "evil.localhost:8080";
            Assert.Equal(HttpStatusCode.BadRequest, (await direct.SendAsync(evil)).StatusCode);
            Assert.Equal(new Uri(stack.BaseAddress, "/login"), redirect.Headers.Location);
            Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/healthz")).StatusCode);
        });

    /// <summary>
    /// The token API's limit counts the real client that nginx names, not the proxy: from 127.0.0.2 the limit is reached,
    /// while 127.0.0.3 on the same instance is still answered; an X-Forwarded-For of the client's own making does not get
    /// 127.0.0.2 out of its limit.
    /// </summary>
    [Fact]
    public Task The_token_api_rate_limit_counts_each_real_client_behind_the_proxy() =>
        stack.ExplainFailureAsync(async () =>
        {
            const string probe = "/api/token/download?code=x";
            var firstCookies = new CookieContainer();
            using var first = stack.NewClient(IPAddress.Parse("127.0.0.2"), firstCookies);
            var answer = await first.GetAsync(probe);
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Equal("no-store", answer.Headers.CacheControl?.ToString()); // every API answer, errors too
            var sent = 1;
            HttpStatusCode status;
            do
            {
                status = (await first.GetAsync(probe)).StatusCode;
                sent++;
            } while (status != HttpStatusCode.TooManyRequests && sent < 4 * ProductionStack.ActivationRequestsPerMinute);
            Assert.Equal(HttpStatusCode.TooManyRequests, status);

            // Another client, sent to the same instance by the first one's route cookie.
            var route = firstCookies.GetCookies(stack.BaseAddress)["kitashin_route"];
            Assert.NotNull(route);
            var otherCookies = new CookieContainer();
            otherCookies.Add(stack.BaseAddress, new System.Net.Cookie(route.Name, route.Value));
            using var other = stack.NewClient(IPAddress.Parse("127.0.0.3"), otherCookies);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(probe)).StatusCode);

            using var spoofed = new HttpRequestMessage(HttpMethod.Get, probe);
            spoofed.Headers.Add("X-Forwarded-For", "203.0.113.7");
            Assert.Equal(HttpStatusCode.TooManyRequests, (await first.SendAsync(spoofed)).StatusCode);
        });

    private static async Task StillSignedInAsync(IPage portal)
    {
        await portal.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "メニュー画面" })).ToBeVisibleAsync();
        await BrowserPortal.WaitForInteractiveAsync(portal);
    }
}
