using System.Globalization;
using System.Security.Claims;
using System.Text;
using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Resources;

namespace Portal.Banking;

/// <summary>
/// The CSV of a statement period: UTF-8 with a BOM (Excel then reads the Japanese right), one header row with the
/// screen's column names, CRLF line ends, amounts as plain digits so Excel sums them. Streamed from the database.
/// </summary>
public static class StatementCsv
{
    public const string Path = "/banking/account/statement.csv";
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The link for a period, with the same query parameters as the page.</summary>
    public static string Link(StatementPeriod period) => period.Kind == PeriodKind.Custom
        ? $"{Path}?period=custom&from={StatementPeriods.Format(period.From)}&to={StatementPeriods.Format(period.To)}"
        : $"{Path}?period={StatementPeriods.Name(period.Kind)}";

    public static string Header =>
        string.Join(',', Labels.ColumnDate, Labels.ColumnDescription, Labels.ColumnPaid, Labels.ColumnReceived, Labels.ColumnBalance);

    public static string Row(StatementLine line) => string.Join(',',
        JapanTime.FormatCompactDate(line.At),
        Field(line.Description),
        line.Paid.IsZero ? "" : line.Paid.Yen.ToString(CultureInfo.InvariantCulture),
        line.Received.IsZero ? "" : line.Received.Yen.ToString(CultureInfo.InvariantCulture),
        line.BalanceAfter.Yen.ToString(CultureInfo.InvariantCulture));

    public static string FileName(StatementPeriod period) =>
        string.Format(Labels.StatementFileName, period.From.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            period.To.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    /// <summary>
    /// Quotes what CSV needs quoted; a 摘要 that Excel would run as a formula (=, +, -, @ first: a payee's name comes
    /// from outside the bank) is prefixed with an apostrophe.
    /// </summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>GET, behind the same sign-in as the pages; the account is the signed-in customer's, never a parameter.</summary>
    public static IEndpointRouteBuilder MapStatementCsv(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, DownloadAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, AccountStatements statements, TimeProvider clock,
        string? period, string? from, string? to)
    {
        var userId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return Results.Unauthorized();
        var today = JapanTime.Today(clock);
        var choice = StatementPeriods.Parse(period, from, to, today);
        if (choice.Period is not { } chosen)
            return Results.Text(MoneyText.Errors(choice, today), "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status400BadRequest);
        if (await statements.GetSummaryAsync(userId, http.RequestAborted) is null)
            return Results.Text(Labels.NoAccount, "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);

        http.Response.Headers.CacheControl = "no-store";
        return Results.Stream(async body =>
        {
            await body.WriteAsync(Bom, http.RequestAborted);
            await using var writer = new StreamWriter(body, Utf8, bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\r\n" };
            await writer.WriteLineAsync(Header);
            await foreach (var line in statements.StreamAsync(userId, chosen, http.RequestAborted))
                await writer.WriteLineAsync(Row(line));
        }, "text/csv; charset=utf-8", FileName(chosen));
    }
}
