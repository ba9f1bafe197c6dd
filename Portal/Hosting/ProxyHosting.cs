using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;

namespace Portal.Hosting;

/// <summary>Section "Proxy": who may tell the portal the client's address and scheme, and how HTTPS is enforced.</summary>
public sealed class ProxySettings
{
    /// <summary>Addresses of the reverse proxies whose X-Forwarded-For / -Proto the portal believes.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 172.28.0.0/16) whose proxies the portal believes.</summary>
    public string[] TrustedNetworks { get; set; } = [];

    /// <summary>Outside Development: answer plain HTTP with a redirect to HTTPS on this port (443 behind a proxy).</summary>
    public int HttpsPort { get; set; } = 443;

    /// <summary>Strict-Transport-Security max-age, in days.</summary>
    public int HstsMaxAgeDays { get; set; } = 365;
}

public static class ProxyHosting
{
    /// <summary>
    /// Behind a TLS-terminating reverse proxy: forwarded headers from the configured proxies only (anyone else's
    /// X-Forwarded-For is ignored, so neither the rate limits nor the audit trail can be fooled), and outside
    /// Development HTTPS redirection and HSTS, so the Secure cookies always travel over TLS.
    /// </summary>
    public static WebApplicationBuilder AddPortalProxy(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("Proxy").Get<ProxySettings>() ?? new ProxySettings();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; the portal trusts only whom the operator names.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.TrustedProxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in settings.TrustedNetworks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        // ASP.NET's host filtering answers 400 to a Host not listed; outside Development the list must name the bank's hosts.
        if (!builder.Environment.IsDevelopment())
            builder.Services.AddOptions<HostFilteringOptions>()
                .Validate(o => o.AllowedHosts.Count > 0 && !o.AllowedHosts.Contains("*"),
                    "AllowedHosts is required outside Development: the bank's host names separated by ';', e.g. ib.kitashin.example " +
                    "(environment variable AllowedHosts). A request for any other host is refused.")
                .ValidateOnStart();
        builder.Services.AddHttpsRedirection(options => options.HttpsPort = settings.HttpsPort);
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(settings.HstsMaxAgeDays);
            options.IncludeSubDomains = true;
        });
        return builder;
    }

    /// <summary>First in the pipeline, so every later step sees the real client and scheme.</summary>
    public static WebApplication UsePortalProxy(this WebApplication app)
    {
        // With no proxy named the middleware would believe everyone (its empty lists mean "any"): leave it out.
        var settings = app.Configuration.GetSection("Proxy").Get<ProxySettings>();
        if (settings is { TrustedProxies.Length: > 0 } or { TrustedNetworks.Length: > 0 }) app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            // The orchestrator's health probe talks plain HTTP to the instance itself; everything else goes to HTTPS.
            app.UseWhen(http => !http.Request.Path.StartsWithSegments("/healthz"), branch => branch.UseHttpsRedirection());
        }
        return app;
    }
}
