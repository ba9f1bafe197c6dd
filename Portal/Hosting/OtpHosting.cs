using Microsoft.AspNetCore.Identity;
using Portal.Domain.Otp;
using Portal.Mail;
using Portal.Otp;

namespace Portal.Hosting;

public static class OtpHosting
{
    /// <summary>The one-time password: enrollment services, the token API, and the mail.</summary>
    public static WebApplicationBuilder AddPortalOtp(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var development = builder.Environment.IsDevelopment();
        services.AddOptions<OtpSettings>().Bind(builder.Configuration.GetSection("Otp"))
            .PostConfigure(otp =>
            {
                if (development && string.IsNullOrWhiteSpace(otp.PublicBaseUrl)) otp.PublicBaseUrl = MailLinks.DevelopmentBaseUrl;
            })
            .Validate(otp => MailLinks.TryBase(otp.PublicBaseUrl) is not null,
                "Otp:PublicBaseUrl is required outside Development: the absolute https:// address of the portal that mail links point to, " +
                "e.g. https://ib.kitashin.example/ (environment variable Otp__PublicBaseUrl). Links are never made from the request's host.")
            .Validate(otp => otp.DownloadMailsPerHour > 0, "Otp:DownloadMailsPerHour must be positive.")
            .ValidateOnStart();
        services.Configure<MailSettings>(builder.Configuration.GetSection("Mail"));
        var dataDirectory = DataHosting.DataDirectory(builder);
        services.PostConfigure<MailSettings>(mail =>
            mail.PickupDirectory = Path.GetFullPath(mail.PickupDirectory, dataDirectory));

        services.AddSingleton<IPasswordHasher<TokenIssue>, PasswordHasher<TokenIssue>>();
        services.AddSingleton<OtpSecrets>();
        services.AddSingleton<OtpMails>();
        services.AddSingleton<MailLinks>();
        services.AddSingleton<MailSender>();
        services.AddSingleton<MailLinks>();
        services.AddSingleton<SecurityNotices>();
        services.AddSingleton<Portal.Identity.StopLinks>();
        services.AddSingleton<Portal.Identity.ServiceStops>();
        services.AddSingleton<Portal.Identity.AccountLock>();
        services.AddSingleton<OtpProof>();
        services.AddScoped<OtpEnrollment>();
        services.AddScoped<TokenActivation>();
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
