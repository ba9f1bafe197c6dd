using Portal.Hosting;
using Portal.Identity;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalProxy()
    .AddPortalData()
    .AddPortalSecurity()
    .AddPortalIdentity()
    .AddPortalOtp()
    .AddPortalBanking()
    .AddPortalUi()
    .AddPortalObservability();

var app = builder.Build();
await app.InitializePortalDatabaseAsync();

app.MapPortalObservability();
app.UsePortalProxy();
app.UsePortalSecurityHeaders();
app.UsePortalPipeline();
app.MapPortalHealth();
app.MapAccountEndpoints();
app.MapPortalOtp();
app.MapPortalBanking();
app.MapPortalUi();
app.Run();

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
