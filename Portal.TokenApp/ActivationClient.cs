using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.TokenApp;

public enum DownloadCheck
{
    Valid,
    /// <summary>The mail's URL is unknown or expired (400/404): the customer must re-issue.</summary>
    Invalid,
    /// <summary>Server busy or failing: worth trying again later.</summary>
    Unavailable,
    Offline,
}

/// <summary>Either Token (set-up succeeded) or ErrorMessage (Japanese, ready to show).</summary>
public sealed record ActivationResult(StoredToken? Token, string? ErrorMessage);

/// <summary>The two calls the app ever makes. Paths start with '/' because the API is at the site root, not under /token/.</summary>
public sealed class ActivationClient(HttpClient http)
{
    public async Task<DownloadCheck> CheckDownloadAsync(string code)
    {
        try
        {
            using var response = await http.GetAsync($"/api/token/download?code={Uri.EscapeDataString(code)}");
            return response.StatusCode switch
            {
                HttpStatusCode.OK => DownloadCheck.Valid,
                HttpStatusCode.BadRequest or HttpStatusCode.NotFound => DownloadCheck.Invalid,
                _ => DownloadCheck.Unavailable,
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return DownloadCheck.Offline;
        }
    }

    public async Task<ActivationResult> ActivateAsync(ActivationRequest request)
    {
        try
        {
            using var response = await http.PostAsJsonAsync(
                "/api/token/activation", request, TokenJson.Default.ActivationRequest);

            if (response.StatusCode == HttpStatusCode.OK)
            {
                var body = await response.Content.ReadFromJsonAsync(TokenJson.Default.ActivationResponse);
                var token = ToStoredToken(body);
                return token is null ? new(null, Texts.SetupFailed) : new(token, null);
            }

            var message = await ReadMessageAsync(response);
            return response.StatusCode switch
            {
                HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    or HttpStatusCode.NotFound => new(null, message ?? Texts.SetupFailed),
                _ => new(null, message ?? Texts.TryLater),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new(null, Texts.NetworkError);
        }
        catch (JsonException)
        {
            return new(null, Texts.SetupFailed);
        }
    }

    private static StoredToken? ToStoredToken(ActivationResponse? body)
    {
        // Codes are computed with SHA1 on the device; refuse anything else rather than show wrong codes.
        if (body is null || (body.Algorithm is not null && !body.Algorithm.Equals("SHA1", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var token = new StoredToken(
            body.ServiceId ?? "", body.UserId ?? "", body.Secret ?? "", body.Digits ?? 6, body.Period ?? 30);
        return TokenStore.IsUsable(token) ? token : null;
    }

    private static async Task<string?> ReadMessageAsync(HttpResponseMessage response)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(TokenJson.Default.ErrorResponse);
            return string.IsNullOrWhiteSpace(error?.Message) ? null : error.Message;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            // Not JSON (e.g. a proxy's HTML error page): fall back to our own wording.
            return null;
        }
    }
}
