using System.Text.Json;
using Microsoft.JSInterop;
using OtpNet;

namespace Portal.TokenApp;

/// <summary>Keeps the token in localStorage so the code screen works offline and without sign-in.</summary>
public sealed class TokenStore(IJSRuntime js)
{
    public const string Key = "kitashin.token";

    public async Task<StoredToken?> LoadAsync()
    {
        var json = await js.InvokeAsync<string?>("localStorage.getItem", Key);
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            var token = JsonSerializer.Deserialize(json, TokenJson.Default.StoredToken);
            // A damaged entry must not show wrong codes: treat it as "not set up".
            return token is not null && IsUsable(token) ? token : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task SaveAsync(StoredToken token) =>
        await js.InvokeVoidAsync("localStorage.setItem", Key, JsonSerializer.Serialize(token, TokenJson.Default.StoredToken));

    public static bool IsUsable(StoredToken token)
    {
        if (string.IsNullOrWhiteSpace(token.ServiceId) || string.IsNullOrWhiteSpace(token.UserId)
            || string.IsNullOrWhiteSpace(token.Secret)
            || token.Digits is < 6 or > 8 || token.Period is < 1 or > 300)
        {
            return false;
        }

        try
        {
            return Base32Encoding.ToBytes(token.Secret).Length > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
