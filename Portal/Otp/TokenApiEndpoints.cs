using Portal.Resources;

namespace Portal.Otp;

/// <summary>The JSON API the token app calls: check a download link, set up the token. Rate limited per address.</summary>
public static class TokenApiEndpoints
{
    public const string RateLimitPolicy = "token-activation";

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/token").AllowAnonymous().RequireRateLimiting(RateLimitPolicy);

        api.MapGet("/download", async (string? code, TokenActivation activation, CancellationToken cancellationToken) =>
            await activation.IsDownloadCodeValidAsync(code, cancellationToken)
                ? Results.Ok(new { valid = true })
                : Results.NotFound(new { message = Labels.TokenLinkInvalid }));

        api.MapPost("/activation", async (ActivationRequest? request, HttpContext http, TokenActivation activation) =>
        {
            var token = request is null
                ? null
                : await activation.ActivateAsync(request, http.Connection.RemoteIpAddress?.ToString(),
                    http.Request.Headers.UserAgent.ToString(), http.RequestAborted);
            return token is null
                ? Results.BadRequest(new { message = Labels.ActivationFailed })
                : Results.Ok(token);
        });
        return app;
    }
}
