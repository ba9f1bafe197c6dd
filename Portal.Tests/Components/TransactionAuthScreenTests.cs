using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Portal.Domain.Otp;
using Portal.TokenApp;
using Portal.TokenApp.Screens;

namespace Portal.Tests.Components;

/// <summary>
/// The token app's 取引認証 screen: what the customer types, the messages beside the fields, the code (the domain's own
/// <see cref="TransactionAuthentication"/> for the app's clock), and that nothing leaves the device.
/// </summary>
public class TransactionAuthScreenTests : BunitContext
{
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly StoredToken Token = new("KITASHIN01", "1234567890", Base32Encoding.ToString(Secret), 6, 30);

    // 2026-11-24 10:00:15Z: 15 s into a 30-second step.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_795_514_415));
    private readonly RecordingHandler _network = new();

    public TransactionAuthScreenTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddSingleton<TimeProvider>(_clock);
        // The app's real services over a network that records every request: the screen must make none.
        Services.AddScoped(_ => new HttpClient(_network) { BaseAddress = new Uri("https://portal.example/token/") });
        Services.AddScoped<ActivationClient>();
        Services.AddScoped<TokenStore>();
        Services.AddScoped<OfflineSupport>();
    }

    private IRenderedComponent<TransactionAuthScreen> RenderScreen() =>
        Render<TransactionAuthScreen>(p => p.Add(s => s.Token, Token));

    private static void Enter(IRenderedComponent<TransactionAuthScreen> cut, string institution, string amount)
    {
        cut.Find("#institution-number").Input(institution);
        cut.Find("#amount").Input(amount);
        cut.Find("form").Submit();
    }

    private static string? ErrorOf(IRenderedComponent<TransactionAuthScreen> cut, string inputId)
    {
        var input = cut.Find("#" + inputId);
        if (input.GetAttribute("aria-invalid") != "true") return null;
        return cut.Find("#" + input.GetAttribute("aria-describedby")).TextContent.Trim();
    }

    [Fact]
    public void The_fields_are_labelled_and_open_the_numeric_keyboard()
    {
        var cut = RenderScreen();
        Assert.Equal("取引認証", cut.Find("h1").TextContent.Trim());
        var labels = cut.FindAll("label[for]");
        Assert.Equal(new[] { "収納機関番号", "払込金額（円）" }, labels.Select(l => l.TextContent.Trim()));
        Assert.All(labels, l => Assert.Equal("numeric", cut.Find("#" + l.GetAttribute("for")).GetAttribute("inputmode")));
        Assert.Equal(new[] { "戻る", "表示" }, cut.FindAll("button").Select(b => b.TextContent.Trim()));
    }

    [Theory]
    [InlineData("", "", "収納機関番号は5桁の数字で入力してください。", "払込金額は1円以上9,999,999,999円以下の金額を数字で入力してください。")]
    [InlineData("1234", "0", "収納機関番号は5桁の数字で入力してください。", "払込金額は1円以上9,999,999,999円以下の金額を数字で入力してください。")]
    [InlineData("123456", "-5000", "収納機関番号は5桁の数字で入力してください。", "払込金額は1円以上9,999,999,999円以下の金額を数字で入力してください。")]
    [InlineData("0012a", "10000000000", "収納機関番号は5桁の数字で入力してください。", "払込金額は1円以上9,999,999,999円以下の金額を数字で入力してください。")]
    [InlineData("00123", "12.5", null, "払込金額は1円以上9,999,999,999円以下の金額を数字で入力してください。")]
    [InlineData("1 2 3", "45000", "収納機関番号は5桁の数字で入力してください。", null)]
    public void Bad_input_gets_a_message_beside_its_field_and_no_code(string institution, string amount, string? institutionError, string? amountError)
    {
        var cut = RenderScreen();
        Enter(cut, institution, amount);
        Assert.Equal(institutionError, ErrorOf(cut, "institution-number"));
        Assert.Equal(amountError, ErrorOf(cut, "amount"));
        Assert.Empty(cut.FindAll("[data-testid=tx-code]"));
    }

    [Fact]
    public void Messages_wait_for_the_first_show_then_follow_the_typing()
    {
        var cut = RenderScreen();
        cut.Find("#institution-number").Input("12");
        Assert.Null(ErrorOf(cut, "institution-number")); // not before 表示
        cut.Find("form").Submit();
        Assert.Equal("収納機関番号は5桁の数字で入力してください。", ErrorOf(cut, "institution-number"));
        cut.Find("#institution-number").Input("12345");
        Assert.Null(ErrorOf(cut, "institution-number"));
        Assert.Equal("5桁の数字", cut.Find("#" + cut.Find("#institution-number").GetAttribute("aria-describedby")).TextContent);
    }

    [Theory]
    [InlineData("00123", "45000")]
    [InlineData("００１２３", "４５，０００")]     // full-width digits and comma, as a Japanese keyboard types them
    [InlineData(" 00123 ", "45,000円")]         // as the portal shows the amount
    [InlineData("001-23", "045000")]
    public void The_app_shows_back_what_was_typed_and_the_code_for_it(string institution, string amount)
    {
        var cut = RenderScreen();
        Enter(cut, institution, amount);

        Assert.Equal("00123", cut.Find("[data-testid=tx-institution-number]").TextContent);
        Assert.Equal("45,000円", cut.Find("[data-testid=tx-amount]").TextContent);
        var expected = TransactionAuthentication.Compute(Secret, "00123", 45_000, _clock.GetUtcNow());
        Assert.Equal("877238", expected); // the independent Python reference's value (see TransactionAuthenticationTests)
        Assert.Equal(expected, cut.Find("[data-testid=tx-code]").TextContent);
        Assert.Equal("あと 15 秒で更新されます", cut.Find("[data-testid=tx-seconds]").TextContent);
        Assert.Equal("取引認証用ワンタイムパスワード", cut.Find("#" + cut.Find("[data-testid=tx-code]").GetAttribute("aria-labelledby")).TextContent);
    }

    [Fact]
    public void The_code_is_not_the_login_code_and_changes_with_the_amount()
    {
        var cut = RenderScreen();
        Enter(cut, "00123", "45000");
        var code = cut.Find("[data-testid=tx-code]").TextContent;
        Assert.NotEqual(TotpRules.Compute(Secret, _clock.GetUtcNow()), code);

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "入力し直す").Click();
        Assert.Equal("45000", cut.Find("#amount").GetAttribute("value")); // kept for correcting
        cut.Find("#amount").Input("45001");
        cut.Find("form").Submit();
        Assert.Equal(TransactionAuthentication.Compute(Secret, "00123", 45_001, _clock.GetUtcNow()), cut.Find("[data-testid=tx-code]").TextContent);
        Assert.NotEqual(code, cut.Find("[data-testid=tx-code]").TextContent);
    }

    [Fact]
    public void The_code_and_the_seconds_left_follow_the_clock()
    {
        var cut = RenderScreen();
        Enter(cut, "00123", "45000");

        _clock.Advance(TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Equal("あと 10 秒で更新されます", cut.Find("[data-testid=tx-seconds]").TextContent));

        _clock.Advance(TimeSpan.FromSeconds(10)); // the next step
        var expected = TransactionAuthentication.Compute(Secret, "00123", 45_000, _clock.GetUtcNow());
        cut.WaitForAssertion(() => Assert.Equal(expected, cut.Find("[data-testid=tx-code]").TextContent));
        Assert.Equal("あと 30 秒で更新されます", cut.Find("[data-testid=tx-seconds]").TextContent);
        Assert.NotEqual(TransactionAuthentication.Compute(Secret, "00123", 45_000, _clock.GetUtcNow().AddSeconds(-30)), expected);
    }

    [Fact]
    public void Nothing_is_sent_or_stored()
    {
        var cut = RenderScreen();
        Enter(cut, "", "");
        Enter(cut, "00123", "45000");
        _clock.Advance(TimeSpan.FromSeconds(15)); // a refresh into the next step
        cut.WaitForAssertion(() => Assert.Equal("あと 30 秒で更新されます", cut.Find("[data-testid=tx-seconds]").TextContent));

        Assert.Empty(_network.Requests);
        // The only JavaScript the screen calls is the heading's focus: no localStorage, no fetch.
        Assert.All(JSInterop.Invocations, i => Assert.Contains("focus", i.Identifier, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Back_goes_to_the_code_screen_from_the_app()
    {
        JSInterop.Setup<string?>("localStorage.getItem", TokenStore.Key).SetResult(
            $$"""{"serviceId":"{{Token.ServiceId}}","userId":"{{Token.UserId}}","secret":"{{Token.Secret}}","digits":6,"period":30}""");
        var app = Render<Portal.TokenApp.App>();
        app.WaitForAssertion(() => Assert.Equal("ワンタイムパスワード", app.Find("h1").TextContent.Trim()));

        app.FindAll("button").Single(b => b.TextContent.Trim() == "取引認証").Click();
        Assert.Equal("取引認証", app.Find("h1").TextContent.Trim());
        app.Find("#institution-number").Input("00123");
        app.Find("#amount").Input("45000");
        app.Find("form").Submit();
        Assert.Equal(
            TransactionAuthentication.Compute(Secret, "00123", 45_000, _clock.GetUtcNow()),
            app.Find("[data-testid=tx-code]").TextContent);

        app.FindAll("button").Single(b => b.TextContent.Trim() == "戻る").Click();
        Assert.Equal("ワンタイムパスワード", app.Find("h1").TextContent.Trim());
        Assert.NotEmpty(app.FindAll("[data-testid=otp-code]"));
        Assert.Empty(_network.Requests);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError));
        }
    }
}
