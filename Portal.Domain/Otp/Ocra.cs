using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Domain.Otp;

public enum OcraHash { Sha1, Sha256, Sha512 }

/// <summary>How the challenge is written: QN decimal digits, QA printable ASCII, QH hexadecimal digits.</summary>
public enum OcraQuestionFormat { Numeric, Alphanumeric, Hex }

/// <summary>
/// An RFC 6287 OCRASuite such as <c>OCRA-1:HOTP-SHA1-6:QN08</c>: the hash and digits of the response, and which
/// inputs (counter C, question Q, hashed password P, session S, time T) the DataInput holds, in that order.
/// </summary>
/// <param name="Text">The suite string; it is the first part of every HMAC message.</param>
/// <param name="Digits">0 (no truncation: the HMAC in hex) or 4 to 10.</param>
/// <param name="QuestionLength">The xx of Qxx. Informational: RFC 6287's mutual mode concatenates two challenges, so
/// its own vectors send 16 characters under QA08; only the 128-byte limit of the Q field is enforced.</param>
/// <param name="PasswordHash">The hash of PSHA1/PSHA256/PSHA512, or null when the suite has no P.</param>
/// <param name="SessionLength">The nnn of Snnn in bytes, or 0 when the suite has no S.</param>
/// <param name="TimeStep">The step of T (1S..59S, 1M..59M, 0H..48H), or null when the suite has no T.</param>
public sealed record OcraSuite(
    string Text,
    OcraHash Hash,
    int Digits,
    bool UsesCounter,
    OcraQuestionFormat QuestionFormat,
    int QuestionLength,
    OcraHash? PasswordHash,
    int SessionLength,
    TimeSpan? TimeStep)
{
    /// <summary>Parses an OCRASuite string; throws <see cref="FormatException"/> for anything RFC 6287 does not define.</summary>
    public static OcraSuite Parse(string suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var parts = suite.Split(':');
        if (parts.Length != 3 || parts[0] != "OCRA-1") throw Bad(suite, "it must be OCRA-1:<CryptoFunction>:<DataInput>");

        var crypto = parts[1].Split('-');
        if (crypto.Length != 3 || crypto[0] != "HOTP") throw Bad(suite, "the CryptoFunction must be HOTP-SHAx-t");
        var hash = ParseHash(crypto[1]) ?? throw Bad(suite, "the hash must be SHA1, SHA256 or SHA512");
        var digits = IsDigits(crypto[2], 1, 2) ? int.Parse(crypto[2], CultureInfo.InvariantCulture) : -1;
        if (digits is not 0 and (< 4 or > 10)) throw Bad(suite, "the truncation must be 0 or 4 to 10 digits");

        // DataInput: [C-]QFxx[-PH|Snnn|TG]; the parts are in this order and each at most once.
        var inputs = parts[2].Split('-');
        var i = 0;
        var usesCounter = inputs[i] == "C";
        if (usesCounter) i++;

        if (i >= inputs.Length || inputs[i].Length != 4 || inputs[i][0] != 'Q' || !IsDigits(inputs[i][2..], 2, 2))
        {
            throw Bad(suite, "the DataInput needs a question QFxx");
        }
        var format = inputs[i][1] switch
        {
            'N' => OcraQuestionFormat.Numeric,
            'A' => OcraQuestionFormat.Alphanumeric,
            'H' => OcraQuestionFormat.Hex,
            _ => throw Bad(suite, "the question format must be N, A or H"),
        };
        var questionLength = int.Parse(inputs[i][2..], CultureInfo.InvariantCulture);
        if (questionLength is < 4 or > 64) throw Bad(suite, "the question length must be 04 to 64");
        i++;

        OcraHash? passwordHash = null;
        if (i < inputs.Length && inputs[i].StartsWith('P'))
        {
            passwordHash = ParseHash(inputs[i][1..]) ?? throw Bad(suite, "the password hash must be SHA1, SHA256 or SHA512");
            i++;
        }

        var sessionLength = 0;
        if (i < inputs.Length && inputs[i].StartsWith('S'))
        {
            sessionLength = IsDigits(inputs[i][1..], 3, 3) ? int.Parse(inputs[i][1..], CultureInfo.InvariantCulture) : 0;
            if (sessionLength == 0) throw Bad(suite, "the session length must be Snnn, 001 to 999 bytes");
            i++;
        }

        TimeSpan? timeStep = null;
        if (i < inputs.Length && inputs[i].StartsWith('T'))
        {
            timeStep = ParseTimeStep(inputs[i][1..]) ?? throw Bad(suite, "the time step must be 1-59S, 1-59M or 0-48H");
            i++;
        }

        if (i != inputs.Length) throw Bad(suite, $"'{inputs[i]}' is not expected there");
        return new OcraSuite(suite, hash, digits, usesCounter, format, questionLength, passwordHash, sessionLength, timeStep);
    }

    /// <summary>The T input for an instant: whole time steps since the Unix epoch.</summary>
    public long TimeStepAt(DateTimeOffset at)
    {
        var step = TimeStep ?? throw new InvalidOperationException($"{Text} has no time input.");
        // T0H (a zero step) is allowed by the grammar and can only mean "no time variation".
        return step == TimeSpan.Zero ? 0 : at.ToUnixTimeSeconds() / (long)step.TotalSeconds;
    }

    internal static int HashLength(OcraHash hash) => hash switch
    {
        OcraHash.Sha1 => 20,
        OcraHash.Sha256 => 32,
        _ => 64,
    };

    private static OcraHash? ParseHash(string name) => name switch
    {
        "SHA1" => OcraHash.Sha1,
        "SHA256" => OcraHash.Sha256,
        "SHA512" => OcraHash.Sha512,
        _ => null,
    };

    private static TimeSpan? ParseTimeStep(string value)
    {
        if (value.Length is < 2 or > 3 || !IsDigits(value[..^1], 1, 2)) return null;
        var n = int.Parse(value[..^1], CultureInfo.InvariantCulture);
        return value[^1] switch
        {
            'S' when n is >= 1 and <= 59 => TimeSpan.FromSeconds(n),
            'M' when n is >= 1 and <= 59 => TimeSpan.FromMinutes(n),
            'H' when n is >= 0 and <= 48 => TimeSpan.FromHours(n),
            _ => null,
        };
    }

    private static bool IsDigits(string value, int min, int max) =>
        value.Length >= min && value.Length <= max && value.All(char.IsAsciiDigit);

    private static FormatException Bad(string suite, string why) => new($"'{suite}' is not an RFC 6287 OCRASuite: {why}.");
}

/// <summary>
/// OCRA per RFC 6287: HMAC(K, suite ‖ 0x00 ‖ C ‖ Q ‖ P ‖ S ‖ T), then HOTP's dynamic truncation. The inputs are
/// encoded as the RFC's reference implementation does (its Appendix C vectors come from it).
/// </summary>
public static class Ocra
{
    private const int QuestionBytes = 128;

    /// <param name="question">Decimal digits (QN), printable ASCII (QA) or hex digits (QH). For mutual
    /// challenge-response, the two challenges concatenated.</param>
    /// <param name="counter">C, required when and only when the suite has it.</param>
    /// <param name="passwordHash">P: the hash of the PIN with the suite's password hash (e.g. SHA-1 of "1234").</param>
    /// <param name="session">S: at most the suite's nnn bytes, left-padded with zero bytes.</param>
    /// <param name="timeStep">T: time steps since the epoch (<see cref="OcraSuite.TimeStepAt"/>).</param>
    public static string Generate(
        OcraSuite suite, byte[] key, string question,
        long? counter = null, byte[]? passwordHash = null, byte[]? session = null, long? timeStep = null)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(question);
        if (key.Length == 0) throw new ArgumentException("The key is empty.", nameof(key));
        Require(suite.UsesCounter, counter is not null, "counter", suite);
        Require(suite.PasswordHash is not null, passwordHash is not null, "passwordHash", suite);
        Require(suite.SessionLength > 0, session is not null, "session", suite);
        Require(suite.TimeStep is not null, timeStep is not null, "timeStep", suite);
        if (passwordHash is not null && passwordHash.Length != OcraSuite.HashLength(suite.PasswordHash!.Value))
        {
            throw new ArgumentException($"P must be a {suite.PasswordHash} hash.", nameof(passwordHash));
        }
        if (session is not null && session.Length > suite.SessionLength)
        {
            throw new ArgumentException($"S is at most {suite.SessionLength} bytes.", nameof(session));
        }

        var suiteBytes = Encoding.ASCII.GetBytes(suite.Text);
        var message = new byte[suiteBytes.Length + 1 + (counter is null ? 0 : 8) + QuestionBytes
                               + (passwordHash?.Length ?? 0) + suite.SessionLength + (timeStep is null ? 0 : 8)];
        var at = 0;
        suiteBytes.CopyTo(message, at);
        at += suiteBytes.Length + 1; // the 0x00 separator
        if (counter is { } c)
        {
            BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(at, 8), c);
            at += 8;
        }
        EncodeQuestion(suite.QuestionFormat, question).CopyTo(message, at); // right-padded with zeros
        at += QuestionBytes;
        if (passwordHash is not null)
        {
            passwordHash.CopyTo(message, at);
            at += passwordHash.Length;
        }
        if (session is not null)
        {
            session.CopyTo(message, at + suite.SessionLength - session.Length); // left-padded with zeros
            at += suite.SessionLength;
        }
        if (timeStep is { } t)
        {
            BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(at, 8), t);
        }

        var mac = suite.Hash switch
        {
            OcraHash.Sha1 => HMACSHA1.HashData(key, message),
            OcraHash.Sha256 => HMACSHA256.HashData(key, message),
            _ => HMACSHA512.HashData(key, message),
        };
        return suite.Digits == 0 ? Convert.ToHexString(mac) : Truncate(mac, suite.Digits);
    }

    /// <summary>
    /// Q as bytes, left-justified. QN: the decimal number written in hex, QH: the hex digits, both taken nibble by nibble
    /// and padded on the right, as RFC 6287's reference code does. Beware: that makes n and 16·n the same Q (hex "1" and
    /// "10" both become 0x10 0x00 …), so a numeric question layout must keep every value the same number of hex digits.
    /// </summary>
    private static byte[] EncodeQuestion(OcraQuestionFormat format, string question)
    {
        string hex;
        switch (format)
        {
            case OcraQuestionFormat.Numeric:
                if (question.Length == 0 || !question.All(char.IsAsciiDigit))
                {
                    throw new ArgumentException("A QN question is decimal digits.", nameof(question));
                }
                // "X" may prefix a 0 to keep the number positive; Java's toString(16) has none, and the nibbles count.
                hex = BigInteger.Parse(question, NumberStyles.None, CultureInfo.InvariantCulture).ToString("X", CultureInfo.InvariantCulture).TrimStart('0');
                break;
            case OcraQuestionFormat.Hex:
                if (question.Length == 0 || !question.All(char.IsAsciiHexDigit))
                {
                    throw new ArgumentException("A QH question is hexadecimal digits.", nameof(question));
                }
                hex = question;
                break;
            default:
                if (question.Length is 0 or > QuestionBytes || !question.All(c => c is >= ' ' and <= '~'))
                {
                    throw new ArgumentException("A QA question is 1 to 128 printable ASCII characters.", nameof(question));
                }
                return PadRight(Encoding.ASCII.GetBytes(question));
        }

        if (hex.Length > QuestionBytes * 2) throw new ArgumentException("The question is longer than 128 bytes.", nameof(question));
        return Convert.FromHexString(hex.PadRight(QuestionBytes * 2, '0'));
    }

    private static byte[] PadRight(byte[] value)
    {
        var bytes = new byte[QuestionBytes];
        value.CopyTo(bytes, 0);
        return bytes;
    }

    // HOTP's dynamic truncation (RFC 4226 section 5.3), to 4..10 digits.
    private static string Truncate(byte[] mac, int digits)
    {
        var offset = mac[^1] & 0x0F;
        var binary = BinaryPrimitives.ReadInt32BigEndian(mac.AsSpan(offset, 4)) & 0x7FFF_FFFF;
        var modulus = (long)Math.Pow(10, digits);
        return (binary % modulus).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    private static void Require(bool suiteHasIt, bool given, string name, OcraSuite suite)
    {
        if (suiteHasIt != given)
        {
            throw new ArgumentException(
                suiteHasIt ? $"{suite.Text} needs {name}." : $"{suite.Text} has no input for {name}.", name);
        }
    }
}

/// <summary>
/// 取引認証 as the bank uses it: the token's TOTP secret, a question binding the 収納機関番号 and the 払込金額, 30-second
/// time steps, 6 digits, the current step and one either side accepted. See docs/decisions/0010.
/// </summary>
public static class TransactionAuthentication
{
    /// <summary>HMAC-SHA1 because the key is the token's 160-bit TOTP secret (RFC 2104: a key of the hash's length).</summary>
    public const string Suite = "OCRA-1:HOTP-SHA1-6:QN16-T30S";
    public const int StepSeconds = 30;
    public const int WindowSteps = 1;
    public const int InstitutionNumberLength = 5;
    public const long MaxAmountYen = 9_999_999_999;
    public const int Digits = 6;

    /// <summary>The width the amount is zero-padded to: MaxAmountYen's 10 digits.</summary>
    public const int AmountWidth = 10;

    private static readonly OcraSuite ParsedSuite = OcraSuite.Parse(Suite);

    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>
    /// "1" ‖ 収納機関番号 (5 digits) ‖ 払込金額 zero-padded to 10 digits: 16 digits, e.g. 00123 and 45,000 円 →
    /// 1001230000045000. The fixed widths make the pair unambiguous; the leading 1 keeps the number between 10^15 and
    /// 2·10^15, always 13 hex digits, so RFC 6287's QN encoding (which gives n and 16·n the same Q) cannot collide.
    /// </summary>
    public static string Question(string institutionNumber, long amountYen)
    {
        ArgumentNullException.ThrowIfNull(institutionNumber);
        if (institutionNumber.Length != InstitutionNumberLength || !institutionNumber.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("収納機関番号 is exactly 5 ASCII digits.", nameof(institutionNumber));
        }
        if (amountYen is < 1 or > MaxAmountYen)
        {
            throw new ArgumentException($"払込金額 is 1 to {MaxAmountYen} yen.", nameof(amountYen));
        }
        return string.Create(CultureInfo.InvariantCulture, $"1{institutionNumber}{amountYen.ToString(CultureInfo.InvariantCulture).PadLeft(AmountWidth, '0')}");
    }

    public static string Compute(byte[] secret, string institutionNumber, long amountYen, DateTimeOffset at) =>
        ComputeAtStep(secret, Question(institutionNumber, amountYen), StepAt(at));

    /// <summary>The matched time step (current ±1), or null.</summary>
    public static long? Verify(byte[] secret, string institutionNumber, long amountYen, string normalizedCode, DateTimeOffset now)
    {
        var question = Question(institutionNumber, amountYen);
        if (normalizedCode is not { Length: Digits } || !normalizedCode.All(char.IsAsciiDigit)) return null;

        var given = Encoding.ASCII.GetBytes(normalizedCode);
        var current = StepAt(now);
        long? matched = null;
        // Every step is computed and compared in constant time, so the time taken tells nothing about the code.
        for (var step = current - WindowSteps; step <= current + WindowSteps; step++)
        {
            var expected = Encoding.ASCII.GetBytes(ComputeAtStep(secret, question, step));
            if (CryptographicOperations.FixedTimeEquals(expected, given) && matched is null)
            {
                matched = step;
            }
        }
        return matched;
    }

    private static string ComputeAtStep(byte[] secret, string question, long step) =>
        Ocra.Generate(ParsedSuite, secret, question, timeStep: step);
}
