using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Identity;

namespace Portal.Hosting;

public static class IdentityHosting
{
    /// <summary>Identity with the bank's lock rules, a cookie bound to a server-side session, and the sign-in handoff.</summary>
    public static WebApplicationBuilder AddPortalIdentity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<SignInSettings>(builder.Configuration.GetSection("SignIn"));
        services.Configure<SessionSettings>(builder.Configuration.GetSection("Session"));

        services.AddIdentity<PortalUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = false;
                options.Password.RequiredLength = 8;
                options.Lockout.AllowedForNewUsers = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<TotpTwoFactorProvider>(TotpTwoFactorProvider.Name);
        // By its own type too: /account/signin builds the principal from roles it read with the ticket.
        services.AddScoped(sp => (PortalClaimsPrincipalFactory)sp.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>());

        services.AddOptions<IdentityOptions>().Configure<IOptions<SignInSettings>>((identity, signIn) =>
        {
            identity.Lockout.MaxFailedAccessAttempts = signIn.Value.MaxFailedAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(signIn.Value.LockoutMinutes);
        });

        // A password change (or, later, a cancel of OTP use) changes the stamp; other sessions notice within a minute.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.OnRefreshingPrincipal = refresh =>
            {
                PortalClaims.CarryOver(refresh.CurrentPrincipal, refresh.NewPrincipal);
                return Task.CompletedTask;
            };
        });

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<SessionSettings>, IOptions<SecuritySettings>>((cookie, session, security) =>
            {
                cookie.LoginPath = "/login";
                cookie.LogoutPath = "/account/signout";
                cookie.AccessDeniedPath = "/access-denied";
                cookie.ReturnUrlParameter = "returnUrl";
                cookie.Cookie.Name = "kitashin.session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = security.Value.CookieSecurePolicy;
                cookie.ExpireTimeSpan = session.Value.ToPolicy().AbsoluteLifetime;
                cookie.SlidingExpiration = false;
                cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
                // A signed-in customer at an admin URL gets a plain 403, not a redirect to a page; an admin refused only
                // for signing in without the one-time password is sent to get one (as Routes.razor does in the circuit).
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    var request = context.Request;
                    if (Portal.Admin.AdminAccess.MustSignInWithOtp(context.HttpContext.User))
                        context.Response.Redirect($"{request.Scheme}://{request.Host}{request.PathBase}{Portal.Admin.AdminAccess.EnrollPath}");
                    else
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });

        services.AddSingleton<SignInTickets>();
        services.AddSingleton<PortalSessions>();
        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<UnknownLoginLock>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<CurrentCustomer>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Portal.Admin.AdminAccess.Policy, Portal.Admin.AdminAccess.Require);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, PortalAuthenticationStateProvider>();
        services.AddSingleton<CircuitSignIns>();
        services.AddHostedService(sp => sp.GetRequiredService<CircuitSignIns>());
        return builder;
    }

    /// <summary>
    /// Requests that read nothing of the customer's: static files (authentication runs before their endpoints), and
    /// the circuit's side requests (negotiate, initializers, disconnect). The circuit's own connection, /_blazor, is
    /// checked: the circuit takes its user from it.
    /// </summary>
    private static bool NeedsNoSession(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null
        || (http.Request.Path.StartsWithSegments("/_blazor", out var rest) && rest.HasValue && rest != "/");

    /// <summary>
    /// Every request but a static file: the security stamp, then the server-side session (ended, idle or too old →
    /// signed out) — one read, and a write only when the recorded activity is due for renewal.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        if (NeedsNoSession(context.HttpContext)) return;
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal is null) return;

        var sessions = context.HttpContext.RequestServices.GetRequiredService<PortalSessions>();
        var userId = context.Principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        if (userId is not null && context.Principal.GetSessionId() is { } sessionId
            && await sessions.FindLiveAsync(sessionId, userId, context.HttpContext.RequestAborted) is { } session)
        {
            await sessions.TouchAsync(session, context.HttpContext.RequestAborted);
            return;
        }
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
