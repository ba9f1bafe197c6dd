using Microsoft.AspNetCore.Antiforgery;

namespace Portal.Hosting;

public static class SecurityHosting
{
    /// <summary>
    /// What the portal, MudBlazor and the token app need and nothing more: scripts only from this site (plus
    /// WebAssembly compilation for the token app), MudBlazor's inline styles, the circuit's WebSocket to this site.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Cookies are Secure outside Development, where the portal is only ever reached over HTTPS.</summary>
    public static WebApplicationBuilder AddPortalSecurity(this WebApplicationBuilder builder)
    {
        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        builder.Services.Configure<AntiforgeryOptions>(o =>
        {
            o.Cookie.Name = "kitashin.antiforgery";
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.Configure<SecuritySettings>(s => s.CookieSecurePolicy = secure);
        // Nothing tells a caller which server runs the portal.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    public static WebApplication UsePortalSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Set as the answer starts, not now: the exception handler clears the headers before it writes its page.
            context.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                var headers = response.Headers;
                if (MustNotBeStored(response.HttpContext)) headers.CacheControl = "no-store";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                // The token app's URL carries a download code: never send it on as a referrer.
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// Nothing private is cached (SPEC section 7): every answer of the API (the activation carries the token's secret;
    /// errors too) and everything a signed-in customer or staff member is shown. Decided as the answer starts, when the
    /// sign-in is known. Fingerprinted static files (marked immutable, the same for everyone) keep their caching.
    /// </summary>
    public static bool MustNotBeStored(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api")
        || (context.User.Identity?.IsAuthenticated == true && !context.Response.Headers.CacheControl.ToString().Contains("immutable"));
}

/// <summary>The cookie policy chosen for this environment, shared by the sign-in cookie.</summary>
public sealed class SecuritySettings
{
    public CookieSecurePolicy CookieSecurePolicy { get; set; } = CookieSecurePolicy.Always;
}
