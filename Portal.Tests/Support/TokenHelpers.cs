using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OtpNet;
using Portal.Otp;

namespace Portal.Tests.Support;

/// <summary>What a test needs from an issue mail and the token app's side of the API.</summary>
public static partial class TokenHelpers
{
    [GeneratedRegex(@"https?://\S+/token/\?code=([A-Za-z0-9_-]+)")]
    private static partial Regex DownloadUrl();

    [GeneratedRegex(@"■サービスID\s+(\S+)")]
    private static partial Regex ServiceIdLine();

    [GeneratedRegex(@"■ユーザID\s+([0-9]{10})")]
    private static partial Regex UserIdLine();

    public static (string Url, string Code, string ServiceId, string UserId) ReadIssueMail(string text)
    {
        var url = DownloadUrl().Match(text);
        Assert.True(url.Success, "the mail carries the download URL:\n" + text);
        return (url.Value, url.Groups[1].Value, ServiceIdLine().Match(text).Groups[1].Value, UserIdLine().Match(text).Groups[1].Value);
    }

    /// <summary>The token app's set-up call, with the download code of the mail's URL it was opened with.</summary>
    public static async Task<HttpResponseMessage> ActivateAsync(HttpClient client, string serviceId, string userId, string password, string? code) =>
        await client.PostAsJsonAsync("/api/token/activation", new { serviceId, userId, activationPassword = password, code });

    public static async Task<ActivatedToken> ActivateOkAsync(HttpClient client, string serviceId, string userId, string password, string code)
    {
        var response = await ActivateAsync(client, serviceId, userId, password, code);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ActivatedToken>())!;
    }

    public static string CodeAt(ActivatedToken token, DateTimeOffset at) =>
        new Totp(Base32Encoding.ToBytes(token.Secret), token.Period, OtpHashMode.Sha1, token.Digits).ComputeTotp(at.UtcDateTime);
}
