using Portal.Banking;

namespace Portal.Hosting;

public static class BankingHosting
{
    /// <summary>The representative account: the ledger (the one way money moves) and its statement.</summary>
    public static WebApplicationBuilder AddPortalBanking(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Ledger>();
        builder.Services.AddSingleton<AccountStatements>();
        return builder;
    }

    public static WebApplication MapPortalBanking(this WebApplication app)
    {
        app.MapStatementCsv();
        return app;
    }
}
