using System.Net;
using System.Text;

namespace Portal.Tests.Integration;

/// <summary>One malformed request to the token API and the 4xx it must get.</summary>
/// <param name="Content">Builds the body; its argument is the real ユーザID of the seeded 申請済 issue.</param>
public sealed record TokenApiProbe(string Name, HttpMethod Method, string Path, HttpStatusCode Expected, Func<string, HttpContent?>? Content = null);

/// <summary>
/// What a careless client or an attacker might send the token API: wrong content types, broken and hostile JSON, wrong
/// types, deep nesting, bodies up to 30 MB (with a length and chunked), look-alike digits, NUL and RTL characters, SQL
/// and markup, numbers that overflow, wrong methods, and garbage in the download link's query.
/// </summary>
public static class TokenApiProbeCorpus
{
    public const string Activation = "/api/token/activation";
    public const string Download = "/api/token/download";
    private const string RealUserId = "{{real}}";
    private const int Limit = 16 * 1024;

    public static readonly IReadOnlyDictionary<string, TokenApiProbe> Probes = Build().ToDictionary(p => p.Name);

    public static TheoryData<string> Names => new(Probes.Keys);

    private static IEnumerable<TokenApiProbe> Build()
    {
        var post = HttpMethod.Post;
        // A request the token app could send, but for a password the domain refuses before it reads the database.
        const string wellFormed = """{"serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"12ab","code":null}""";

        // Content types: only JSON is read.
        string?[] notJson =
        [
            null, "text/plain", "text/html", "text/json", "text/xml", "application/xml", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/octet-stream", "application/javascript", "application/jsonx",
            "application/json-seq", "application/x-json", "image/png", "json", "application", "*/*", "application/*",
            "garbage!!", "text/plain; charset=utf-8", "application/json/extra", ";", "=",
        ];
        foreach (var type in notJson)
            yield return new($"content-type {type ?? "(none)"}", post, Activation, HttpStatusCode.UnsupportedMediaType, u => Text(wellFormed, u, type));
        yield return new("content-type (none), no body", post, Activation, HttpStatusCode.UnsupportedMediaType);
        yield return new("form fields", post, Activation, HttpStatusCode.UnsupportedMediaType, u => new FormUrlEncodedContent(
            new Dictionary<string, string> { ["serviceId"] = "KITASHIN", ["userId"] = u, ["activationPassword"] = "12ab" }));
        string[] jsonTypes = ["application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/problem+json",
            "application/vnd.api+json", "application/json; charset=utf-16", "application/json; foo=bar", "application/ json"];
        foreach (var type in jsonTypes)
            yield return new($"json type {type}, refused shape", post, Activation, HttpStatusCode.BadRequest, u => Text(wellFormed, u, type));

        // Not JSON at all, or not one object.
        string[] broken =
        [
            "", " ", "{", "}", "[", "]", "[]", "{}", "null", "true", "false", "0", "-1", "\"KITASHIN\"", "{\"serviceId\":}",
            "{\"serviceId\":\"KITASHIN\",}", "{\"serviceId\":\"KITASHIN\"", "{serviceId:\"KITASHIN\"}", "{'serviceId':'KITASHIN'}",
            "/* c */ {\"serviceId\":\"KITASHIN\"}", "{\"serviceId\":\"KITASHIN\"} // c", "{\"a\":1}{\"b\":2}", "{\"a\":NaN}",
            "{\"a\":Infinity}", "{\"a\":undefined}", "{\"a\":0x10}", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":+1}",
            "{\"a\":\"unterminated}", "{\"a\":\"bad \\q escape\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}",
            "{\"a\":\"line\nbreak\"}", "{\"a\" 1}", "{\"a\"::1}", "{,}", "{\"a\":[1,]}", "{\"a\":[,1]}", "\uFEFF{", "\uFEFF\uFEFF{}",
            "<activation userId=\"0123456789\"/>", "serviceId=KITASHIN&userId=0123456789", "{{7*7}}", "${jndi:ldap://x/a}",
            "{\"userId\":\"{{real}}\"}\u0000", "\u0000", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\\uD800\"}", "{\"a\":\"\\uDC00x\"}",
        ];
        foreach (var (i, text) in broken.Index())
            yield return new($"broken json #{i:D2} {Shorten(text)}", post, Activation, HttpStatusCode.BadRequest, u => Text(text, u));
        yield return new("invalid utf-8 bytes", post, Activation, HttpStatusCode.BadRequest, _ => Bytes([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D]));
        yield return new("overlong utf-8 slash", post, Activation, HttpStatusCode.BadRequest, _ => Bytes([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC0, 0xAF, 0x22, 0x7D]));
        yield return new("utf-16 body", post, Activation, HttpStatusCode.BadRequest, u => Bytes(Encoding.Unicode.GetBytes(wellFormed.Replace(RealUserId, u))));
        yield return new("utf-32 body", post, Activation, HttpStatusCode.BadRequest, u => Bytes(Encoding.UTF32.GetBytes(wellFormed.Replace(RealUserId, u))));
        yield return new("random bytes", post, Activation, HttpStatusCode.BadRequest, _ => Bytes([.. Enumerable.Range(0, 512).Select(i => (byte)(i * 37 % 256))]));

        // Wrong types in each field.
        string[] fields = ["serviceId", "userId", "activationPassword", "code"];
        string[] wrongValues = ["123", "1.5", "true", "false", "[]", "{}", "[\"1234\"]", "{\"value\":\"1234\"}", "1e400", "-0",
            "99999999999999999999999999999", "0123456789"];
        foreach (var field in fields)
            foreach (var value in wrongValues)
                yield return new($"{field} as {value}", post, Activation, HttpStatusCode.BadRequest,
                    u => Text(wellFormed.Replace($"\"{field}\":" + (field == "code" ? "null" : $"\"{Value(field)}\""), $"\"{field}\":{value}"), u));

        // Deep nesting, in a known field, in an unknown one, and as the whole body.
        // All under the size limit: the depth is what is refused.
        foreach (var depth in new[] { 9, 64, 65, 256, 1000, 2000 })
        {
            yield return new($"nested arrays {depth} in userId", post, Activation, HttpStatusCode.BadRequest,
                _ => Text($"{{\"userId\":{new string('[', depth)}{new string(']', depth)}}}"));
            yield return new($"nested objects {depth} in an unknown field", post, Activation, HttpStatusCode.BadRequest,
                u => Text($"{{\"serviceId\":\"KITASHIN\",\"userId\":\"{u}\",\"x\":{Repeat("{\"a\":", depth)}1{new string('}', depth)}}}"));
            yield return new($"nested arrays {depth} as the body", post, Activation, HttpStatusCode.BadRequest,
                _ => Text(new string('[', depth) + new string(']', depth)));
            yield return new($"unclosed nesting {depth}", post, Activation, HttpStatusCode.BadRequest, _ => Text(Repeat("{\"a\":[", depth)));
        }

        // Too large: with a Content-Length and chunked, JSON and not.
        foreach (var size in new long[] { Limit + 1, 64 * 1024, 1024 * 1024, 10 * 1024 * 1024, 30L * 1024 * 1024 })
        {
            yield return new($"{size} bytes of whitespace with length", post, Activation, HttpStatusCode.RequestEntityTooLarge, _ => Large(size, " ", chunked: false));
            yield return new($"{size} bytes of whitespace chunked", post, Activation, HttpStatusCode.RequestEntityTooLarge, _ => Large(size, " ", chunked: true));
            yield return new($"{size} bytes in a string with length", post, Activation, HttpStatusCode.RequestEntityTooLarge,
                _ => Large(size, "a", chunked: false, prefix: "{\"serviceId\":\"", suffix: "\"}"));
            yield return new($"{size} bytes of nesting chunked", post, Activation, HttpStatusCode.RequestEntityTooLarge, _ => Large(size, "[", chunked: true));
        }
        yield return new("30 MB of text/plain", post, Activation, HttpStatusCode.UnsupportedMediaType, _ => Large(30L * 1024 * 1024, "x", chunked: false, type: "text/plain"));
        yield return new("a body just under the limit", post, Activation, HttpStatusCode.BadRequest,
            u => Text(wellFormed.Replace(RealUserId, u) + new string(' ', Limit - 200)));

        // Strings the domain must refuse without touching the database: look-alike digits, invisible and hostile text.
        string[] userIds =
        [
            "", " ", "012345678", "01234567890", "０１２３４５６７８９", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "०१२३४५६७८९", "০১২৩৪৫৬৭৮৯",
            "๐๑๒๓๔๕๖๗๘๙", "¹²³⁴⁵⁶⁷⁸⁹⁰", "①②③④⑤⑥⑦⑧⑨⑩", "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗", "012345678\u0000", "\u00000123456789", "0123\u202E456789",
            "\u202E9876543210", "01234\u200B56789", "0123456789\u200D", "-123456789", "+123456789", "12345.6789", "1e9876543",
            "0123456789 ", " 0123456789", "0123456789\n", "' OR '1'='1", "0' OR 1=1 --", "0123456789'; DROP TABLE \"TokenIssues\"; --",
            "0; DELETE FROM \"AuditEntries\"", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{7*7}}", "${7*7}",
            "../../etc/passwd", "%30%31%32%33%34%35%36%37%38%39", "0x12345678", "ＫＩＴＡＳＨＩＮ", "\uFEFF0123456789", "0123456789\uD800",
            new string('9', 4096),
        ];
        foreach (var (i, userId) in userIds.Index())
            yield return new($"userId #{i:D2} {Shorten(userId)}", post, Activation, HttpStatusCode.BadRequest,
                _ => Json(new { serviceId = "KITASHIN", userId, activationPassword = "5678" }));

        string[] passwords =
        [
            "", "123", "123456789", "１２３４", "١٢٣٤", "۱۲۳۴", "१२३४", "¹²³⁴", "①②③④", "12\u00003", "1234\u0000", "\u202E4321",
            "12\u200B34", "12 34", "-1234", "+1234", "12.3", "1e3", "0x12", "' OR '1'='1", "1234'; --", "<b>1234</b>", "abcd",
            "１２３４５６７８", new string('1', 4096), "\uFEFF1234", "1234\uDC00",
        ];
        foreach (var (i, password) in passwords.Index())
            yield return new($"password #{i:D2} {Shorten(password)} for the real user", post, Activation, HttpStatusCode.BadRequest,
                u => Json(new { serviceId = "KITASHIN", userId = u, activationPassword = password, code = (string?)null }));

        string[] serviceIds = ["", "ＫＩＴＡＳＨＩＮ", "KITA\u0000SHIN", "\u202ENIHSATIK", "' OR 1=1 --", "<script>", new string('K', 21), new string('K', 4096)];
        foreach (var (i, serviceId) in serviceIds.Index())
            yield return new($"serviceId #{i:D2} {Shorten(serviceId)} for the real user", post, Activation, HttpStatusCode.BadRequest,
                u => Json(new { serviceId, userId = u, activationPassword = "12a4" }));

        // Missing, duplicated and oddly named fields.
        string[] shapes =
        [
            """{"userId":"{{real}}","activationPassword":"12ab"}""", """{"serviceId":"KITASHIN","activationPassword":"12ab"}""",
            """{"serviceId":"KITASHIN","userId":"{{real}}"}""", """{"serviceId":null,"userId":null,"activationPassword":null,"code":null}""",
            """{"USERID":"{{real}}","SERVICEID":"KITASHIN","ACTIVATIONPASSWORD":"12ab"}""",
            """{"userId":"{{real}}","userId":"0123456789","serviceId":"KITASHIN","activationPassword":"12ab"}""",
            """{"user\u0000Id":"{{real}}","serviceId":"KITASHIN","activationPassword":"12ab"}""",
            """{"serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"12ab","__proto__":{"admin":true}}""",
            """{"serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"12ab","$type":"System.IO.FileInfo"}""",
            """{"":"","serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"12ab"}""",
            """{"serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"12ab","extra":[1,2,3]}""",
            """{"serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"12ab","code":"' OR 1=1 --"}""",
            """{"serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"12ab","code":"<script>alert(1)</script>"}""",
            """[{"serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"12ab"}]""",
            """{"request":{"serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"12ab"}}""",
            """{"serviceId":"KITASHIN","userId":"\uD800","activationPassword":"\uDFFF\uD800"}""",
            """{"serviceId":"KITASHIN","userId":"{{real}}","activationPassword":"\u0031\u0032\u0033\u0034\u0000"}""",
        ];
        foreach (var (i, shape) in shapes.Index())
            yield return new($"shape #{i:D2} {Shorten(shape)}", post, Activation, HttpStatusCode.BadRequest, u => Text(shape, u));

        // Wrong methods on both endpoints.
        // A GET there meets the GET-only fallback routes (static files), so routing answers 404 rather than 405.
        yield return new("GET activation", HttpMethod.Get, Activation, HttpStatusCode.NotFound, u => Text(wellFormed, u));
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options, new HttpMethod("TRACE"), new HttpMethod("PROPFIND") })
            yield return new($"{method} activation", method, Activation, HttpStatusCode.MethodNotAllowed,
                u => method.Method == "TRACE" ? null : Text(wellFormed, u));
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Options, new HttpMethod("TRACE") })
            yield return new($"{method} download", method, Download + "?code=abc", HttpStatusCode.MethodNotAllowed,
                u => method.Method == "TRACE" ? null : Text(wellFormed, u));

        // Garbage in the download link's query: every one is simply not a valid link.
        string[] queries =
        [
            "", "?", "?code", "?code=", "?code=%20", "?code=%00", "?code=abc%00def", "?code=%E2%80%AEabc", "?code=%EF%BC%A1%EF%BC%A2",
            "?code=%D9%A0%D9%A1%D9%A2", "?code=%FF%FE", "?code=%E3%81", "?code=%ZZ", "?code=%", "?code=%%", "?code=+", "?code=a+b",
            "?code=a&code=b", "?code[]=abc", "?code[0]=abc", "?CODE=abc", "?code=%27%20OR%20%271%27%3D%271",
            "?code=1%3BDROP%20TABLE%20%22TokenIssues%22", "?code=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "?code=../../etc/passwd",
            "?code=" + new string('A', 2000), "?code=" + new string('%', 300), "?code=%C0%AF", "?code=%F0%9F%92%A9",
            "?code=abc#fragment", "?code=abc&&&&", "?&&&&", "?code=abc;def", "?code=%0D%0ASet-Cookie:%20a=b", "?code=null",
            "?code=undefined", "?code=true", "?code=[]", "?code={}", "?code=0", "?code=-1", "?code=1e400", "?code=%uFF10",
        ];
        foreach (var (i, query) in queries.Index())
            yield return new($"download #{i:D2} {Shorten(query)}", HttpMethod.Get, Download + query, HttpStatusCode.NotFound);

        // A body or a JSON type on the GET is ignored, never bound.
        yield return new("download with a JSON body", HttpMethod.Get, Download + "?code=abc", HttpStatusCode.NotFound, u => Text(wellFormed, u));
        yield return new("download with 1 MB body", HttpMethod.Get, Download + "?code=abc", HttpStatusCode.NotFound, _ => Large(1024 * 1024, "[", chunked: false));
    }

    private static string Value(string field) => field switch
    {
        "serviceId" => "KITASHIN",
        "userId" => RealUserId,
        _ => "12ab",
    };

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));

    private static string Shorten(string text)
    {
        var visible = new string([.. text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '·' : c)]);
        return visible.Length <= 40 ? visible : visible[..40] + "…";
    }

    private static HttpContent Text(string json, string userId = "", string? type = "application/json") =>
        Bytes(Encoding.UTF8.GetBytes(json.Replace(RealUserId, userId)), type);

    private static HttpContent Json(object value) => Bytes(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value));

    private static HttpContent Bytes(byte[] bytes, string? type = "application/json")
    {
        var content = new ByteArrayContent(bytes);
        if (type is not null) content.Headers.TryAddWithoutValidation("Content-Type", type);
        return content;
    }

    /// <summary>A large body, chunked when no length is given.</summary>
    private static HttpContent Large(long size, string fill, bool chunked, string prefix = "", string suffix = "", string type = "application/json")
    {
        var content = new StreamContent(new GeneratedBody(size, fill, prefix, suffix));
        content.Headers.TryAddWithoutValidation("Content-Type", type);
        // Without a length HttpClient sends a stream it cannot seek chunked.
        if (!chunked) content.Headers.ContentLength = size;
        return content;
    }
}

/// <summary>A request body made as it is sent, never held in memory; <see cref="Sent"/> says how much went out.</summary>
public sealed class GeneratedBody(long size, string fill = " ", string prefix = "", string suffix = "") : Stream
{
    private readonly byte[] _head = Encoding.UTF8.GetBytes(prefix);
    private readonly byte[] _tail = Encoding.UTF8.GetBytes(suffix);
    private readonly byte _fill = Encoding.UTF8.GetBytes(fill)[0];

    public long Sent { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, size - Sent);
        for (var i = 0; i < n; i++, Sent++)
            buffer[offset + i] = Sent < _head.Length ? _head[Sent]
                : Sent >= size - _tail.Length ? _tail[Sent - (size - _tail.Length)]
                : _fill;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Sent; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
