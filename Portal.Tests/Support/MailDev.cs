using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Portal.Tests.Support;

/// <summary>
/// The real SMTP catcher scripts/test starts (MailDev 3): the portal sends to it over SMTP, tests read what arrived
/// through its REST API.
/// </summary>
public static class MailDev
{
    public static int SmtpPort => int.Parse(Required("PORTAL_TEST_SMTP_PORT"));

    private static readonly HttpClient Http = new() { BaseAddress = new Uri(Required("PORTAL_TEST_MAILDEV_URL")) };

    /// <summary>Waits for the newest message to that address.</summary>
    public static async Task<ReceivedMail> WaitForMailAsync(string to, Func<ReceivedMail, bool>? match = null, int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var mails = await Http.GetFromJsonAsync<List<ReceivedMail>>("/api/email") ?? [];
            var found = mails.LastOrDefault(m => m.To.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase))
                && (match?.Invoke(m) ?? true));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No mail to {to} arrived at MailDev.");
            await Task.Delay(200);
        }
    }

    public static async Task<IReadOnlyList<ReceivedMail>> AllToAsync(string to) =>
        ((await Http.GetFromJsonAsync<List<ReceivedMail>>("/api/email")) ?? [])
            .Where(m => m.To.Any(a => string.Equals(a.Address, to, StringComparison.OrdinalIgnoreCase))).ToList();

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set. Run the tests with scripts/test, which starts MailDev.");
}

public sealed record ReceivedMail(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("to")] List<MailAddressJson> To);

public sealed record MailAddressJson([property: JsonPropertyName("address")] string Address);
