using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Domain.Otp;
using Portal.Mail;
using Portal.Otp;
using Portal.Resources;
using Portal.TokenApp;

namespace Portal.Hosting;

public static class OtpHosting
{
    /// <summary>The one-time password: enrollment services, the token API and its rate limit, and the mail.</summary>
    public static WebApplicationBuilder AddPortalOtp(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<OtpSettings>(builder.Configuration.GetSection("Otp"));
        services.Configure<MailSettings>(builder.Configuration.GetSection("Mail"));
        var dataDirectory = DataHosting.DataDirectory(builder);
        services.PostConfigure<MailSettings>(mail =>
            mail.PickupDirectory = Path.GetFullPath(mail.PickupDirectory, dataDirectory));

        services.AddSingleton<IPasswordHasher<TokenIssue>, PasswordHasher<TokenIssue>>();
        services.AddSingleton<OtpSecrets>();
        services.AddSingleton<OtpMails>();
        services.AddSingleton<MailSender>();
        services.AddSingleton<MailLinks>();
        services.AddSingleton<SecurityNotices>();
        services.AddSingleton<Portal.Identity.StopLinks>();
        services.AddSingleton<Portal.Identity.ServiceStops>();
        services.AddSingleton<Portal.Identity.AccountLock>();
        services.AddSingleton<OtpProof>();
        services.AddScoped<OtpEnrollment>();
        services.AddScoped<TokenActivation>();

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, cancellationToken) =>
            {
                // Tells the token app when to try again, instead of leaving it to guess.
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(new ErrorResponse(Labels.TooManyRequests), cancellationToken));
            };
            limiter.AddPolicy(TokenApiEndpoints.RateLimitPolicy, http =>
            {
                var perMinute = http.RequestServices.GetRequiredService<IOptions<OtpSettings>>().Value.ActivationRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return builder;
    }

    public static WebApplication MapPortalOtp(this WebApplication app)
    {
        app.MapTokenApi();
        // The token app is a single page: any path under /token/ that is not a file is its index.html.
        app.MapFallbackToFile("token/{*path:nonfile}", "token/index.html").AllowAnonymous();
        return app;
    }
}
