using Portal.Banking;
using Portal.Banking.PayEasy;
using Portal.Mail;

namespace Portal.Hosting;

public static class BankingHosting
{
    /// <summary>
    /// The representative account (the ledger, the one way money moves, and its statement) and Pay-easy with its
    /// billing center (the embedded one; a network connector would be registered as IBillingCenter instead).
    /// </summary>
    public static WebApplicationBuilder AddPortalBanking(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Ledger>();
        builder.Services.AddSingleton<AccountStatements>();
        builder.Services.AddOptions<PayEasySettings>().Bind(builder.Configuration.GetSection("PayEasy"))
            .Validate(s => s.DailyLimitYen > 0 && s.ConfirmationMinutes > 0, "PayEasy:DailyLimitYen and PayEasy:ConfirmationMinutes must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<NewTokenSettings>().Bind(builder.Configuration.GetSection("Security"))
            .Validate(s => s.NewTokenHours >= 0 && s.NewTokenDailyLimitYen >= 0, "Security:NewTokenHours and Security:NewTokenDailyLimitYen must not be negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IBillingCenter, EmbeddedBillingCenter>();
        builder.Services.AddSingleton<PayEasyStops>();
        builder.Services.AddSingleton<PayEasyPayments>();
        builder.Services.AddSingleton<AdminPayEasy>();
        builder.Services.AddSingleton<PaymentMails>();
        return builder;
    }

    public static WebApplication MapPortalBanking(this WebApplication app)
    {
        app.MapStatementCsv();
        return app;
    }
}
