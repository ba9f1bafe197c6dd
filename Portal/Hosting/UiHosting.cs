using System.Globalization;
using Microsoft.AspNetCore.Localization;
using MudBlazor.Services;
using Portal.Components;
using Portal.Notices;

namespace Portal.Hosting;

public static class UiHosting
{
    private static readonly CultureInfo Japanese = CultureInfo.GetCultureInfo("ja-JP");

    /// <summary>The interactive-server Blazor portal on MudBlazor, in Japanese.</summary>
    public static WebApplicationBuilder AddPortalUi(this WebApplicationBuilder builder)
    {
        // Circuits run on pool threads; the default culture makes every one of them Japanese.
        CultureInfo.DefaultThreadCurrentCulture = Japanese;
        CultureInfo.DefaultThreadCurrentUICulture = Japanese;

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        // Each circuit's popover service wakes every QueueDelay, idle or not, to detach the popovers of disposed
        // components: at MudBlazor's 0.5 s that was most of an idle circuit's CPU (issue 14; 10 s still measured twice
        // the goal). Such a popover, already hidden, now leaves the page's DOM up to a minute later.
        builder.Services.Configure<MudBlazor.PopoverOptions>(popovers => popovers.QueueDelay = TimeSpan.FromMinutes(1));
        builder.Services.AddSingleton<NoticeService>();
        builder.Services.AddScoped<Portal.Admin.AdminOtpQueries>();
        builder.Services.AddScoped<Portal.Admin.AdminOtpActions>();
        builder.Services.AddScoped<Portal.Admin.AdminDashboard>();
        return builder;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        // Customers never see a stack trace, in any environment: the log has the details.
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        // A scope of its own, as for errors: the page re-executed in the request's scope finds Blazor already set up.
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        // Inside the page re-execution, so it answers first: the token app gets JSON, never an HTML page.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Portal.Otp.TokenApiEndpoints.Prefix),
            api => api.UseStatusCodePages(Portal.Otp.TokenApiEndpoints.WriteStatusMessageAsync));

        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Japanese),
            SupportedCultures = [Japanese],
            SupportedUICultures = [Japanese],
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortalUi(this WebApplication app)
    {
        app.MapStaticAssets();
        // The portal's own policy (SecurityHosting) already forbids framing altogether.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
