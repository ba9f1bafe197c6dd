using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Resources;
using Portal.TokenApp;

namespace Portal.Otp;

/// <summary>The JSON API the token app calls: check a download link, set up the token. Rate limited per address.</summary>
public static class TokenApiEndpoints
{
    public const string Prefix = "/api/token";

    /// <summary>The window of Otp:ActivationRequestsPerMinute.</summary>
    public static readonly TimeSpan LimitWindow = TimeSpan.FromMinutes(1);

    /// <summary>The token app sends a few hundred bytes; a larger body is not the token app.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    // The request is one flat object: anything nested deeper is not a request.
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web) { MaxDepth = 4 };

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).AllowAnonymous().AddEndpointFilter(LimitPerAddressAsync);

        api.MapGet("/download", async (string? code, TokenActivation activation, CancellationToken cancellationToken) =>
            await activation.IsDownloadCodeValidAsync(code, cancellationToken)
                ? Results.Ok(new { valid = true })
                : Refuse(StatusCodes.Status404NotFound, Labels.TokenLinkInvalid));

        // The body is read here, not bound: binding answers bad JSON with an exception in Development (a 500) and
        // with an empty 400 elsewhere; every malformed request gets its 4xx and a message instead.
        api.MapPost("/activation", async (HttpContext http, TokenActivation activation) =>
        {
            var (request, refusal) = await ReadAsync<ActivationRequest>(http);
            if (refusal is not null) return refusal;
            var token = await activation.ActivateAsync(request!, http.Connection.RemoteIpAddress?.ToString(),
                http.Request.Headers.UserAgent.ToString(), http.RequestAborted);
            return token is null
                ? Refuse(StatusCodes.Status400BadRequest, Labels.ActivationFailed)
                : Results.Ok(token);
        });
        return app;
    }

    /// <summary>
    /// Otp:ActivationRequestsPerMinute per source address, counted in the database (<see cref="RateCounters"/>) so every
    /// instance spends the same budget; beyond it a 429 that says when to try again.
    /// </summary>
    private static async ValueTask<object?> LimitPerAddressAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var perMinute = http.RequestServices.GetRequiredService<IOptions<OtpSettings>>().Value.ActivationRequestsPerMinute;
        var count = await http.RequestServices.GetRequiredService<RateCounters>()
            .CountAsync("token-api:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), perMinute, LimitWindow, http.RequestAborted);
        if (count.Allowed) return await next(context);
        // Tells the token app when to try again, instead of leaving it to guess.
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(count.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Refuse(StatusCodes.Status429TooManyRequests, Labels.TooManyRequests);
    }

    /// <summary>The JSON body as <typeparamref name="T"/>, or the 4xx that says why not (415, 413 or 400).</summary>
    private static async Task<(T? Value, IResult? Refusal)> ReadAsync<T>(HttpContext http) where T : class
    {
        if (!http.Request.HasJsonContentType()) return (null, Refuse(StatusCodes.Status415UnsupportedMediaType, Labels.ApiJsonOnly));
        if (http.Request.ContentLength > MaxBodyBytes) return (null, Refuse(StatusCodes.Status413PayloadTooLarge, Labels.ApiTooLarge));
        // Kestrel stops a chunked body at the limit too, and does not drain an oversized one after the answer.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        try
        {
            var buffer = new byte[MaxBodyBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await http.Request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted)) > 0)
                length += read;
            if (length > MaxBodyBytes) return (null, Refuse(StatusCodes.Status413PayloadTooLarge, Labels.ApiTooLarge));
            return JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), RequestJson) is { } value
                ? (value, null)
                : (null, Refuse(StatusCodes.Status400BadRequest, Labels.ApiUnreadable));
        }
        catch (JsonException)
        {
            return (null, Refuse(StatusCodes.Status400BadRequest, Labels.ApiUnreadable));
        }
        catch (BadHttpRequestException e)
        {
            // A broken chunked body, or the server's own size limit.
            return (null, Refuse(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? Labels.ApiTooLarge : Labels.ApiUnreadable));
        }
    }

    private static IResult Refuse(int statusCode, string message) => Results.Json(new ErrorResponse(message), statusCode: statusCode);

    /// <summary>
    /// For the answers the API's own code never sees (a wrong method, an unknown path): a message in JSON, which the
    /// token app can show, rather than the portal's HTML status page.
    /// </summary>
    public static Task WriteStatusMessageAsync(StatusCodeContext context)
    {
        var response = context.HttpContext.Response;
        var message = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => Labels.ApiNotFound,
            StatusCodes.Status405MethodNotAllowed => Labels.ApiMethodNotAllowed,
            StatusCodes.Status413PayloadTooLarge => Labels.ApiTooLarge,
            StatusCodes.Status415UnsupportedMediaType => Labels.ApiJsonOnly,
            StatusCodes.Status429TooManyRequests => Labels.TooManyRequests,
            < 500 => Labels.ApiUnreadable,
            _ => Labels.ApiServerError,
        };
        return response.WriteAsJsonAsync(new ErrorResponse(message), context.HttpContext.RequestAborted);
    }
}
