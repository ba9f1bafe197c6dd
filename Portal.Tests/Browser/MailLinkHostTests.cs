using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// Links are made from configuration, never from the request (SPEC section 7). The customer reaches the portal under
/// another host name, as through a phishing proxy (evil.localhost: Chromium sends *.localhost to this machine, and
/// Development answers any host); the download mail still links to the configured base.
/// </summary>
[Collection(BrowserCollection.Name)]
public class MailLinkHostTests(BrowserPortal browser)
{
    [Fact]
    public async Task A_sign_in_and_token_issue_under_the_host_evil_localhost_mail_a_link_with_the_configured_base()
    {
        var customer = await browser.Portal.CreateCustomerAsync();
        var mobile = $"host{Guid.NewGuid():N}"[..14] + "@docomo.ne.jp";
        var evil = new Uri($"http://evil.localhost:{browser.BaseAddress.Port}/");
        var portal = await BrowserPortal.NewPageAsync(browser.Browser, evil);
        await BrowserPortal.SignInAsync(portal, customer);
        Assert.Equal("evil.localhost", new Uri(portal.Url).Host);

        var (url, _, _) = await OtpSteps.IssueTokenAsync(portal, mobile, "2580", shots: null);
        Assert.StartsWith(new Uri(browser.BaseAddress, "token/?code=").ToString(), url);
        Assert.DoesNotContain("evil", url);
        await portal.Context.CloseAsync();
    }
}
