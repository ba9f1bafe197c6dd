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
        services.Configure<OtpSettings>(builder.Configuration.GetSection("Otp"));
        services.Configure<MailSettings>(builder.Configuration.GetSection("Mail"));
        var dataDirectory = DataHosting.DataDirectory(builder);
        services.PostConfigure<MailSettings>(mail =>
            mail.PickupDirectory = Path.GetFullPath(mail.PickupDirectory, dataDirectory));

        services.AddSingleton<IPasswordHasher<TokenIssue>, PasswordHasher<TokenIssue>>();
        services.AddSingleton<OtpSecrets>();
        services.AddSingleton<OtpMails>();
        services.AddSingleton<MailSender>();
        services.AddSingleton<CustomerMail>();
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
