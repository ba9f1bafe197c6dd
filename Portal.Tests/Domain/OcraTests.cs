using System.Security.Cryptography;
using System.Text;
using Portal.Domain.Otp;

namespace Portal.Tests.Domain;

/// <summary>
/// RFC 6287 Appendix C, every vector. The expected values are the RFC's tables (as quoted in oath-toolkit's
/// liboath/tests/tst_ocra_algo.c), and were checked again with an independent one-off Python hmac script.
/// </summary>
public class OcraTests
{
    private static readonly byte[] Key20 = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Key32 = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Key64 =
        Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    // PIN "1234" hashed with SHA-1: 7110eda4d09e062aa5e4a390b0a572ac0d2c0220 in the RFC.
    private static readonly byte[] Pin1234Sha1 = SHA1.HashData("1234"u8);

    // "Mar 25 2008, 12:06:30 GMT" = 0x132d0b6 minutes.
    private const long RfcMinutes = 0x132d0b6;

    private static string Generate(string suite, byte[] key, string question, long? counter = null,
        byte[]? password = null, long? time = null) =>
        Ocra.Generate(OcraSuite.Parse(suite), key, question, counter, password, timeStep: time);

    // C.1 One-way challenge-response.
    [Theory]
    [InlineData("00000000", "237653")]
    [InlineData("11111111", "243178")]
    [InlineData("22222222", "653583")]
    [InlineData("33333333", "740991")]
    [InlineData("44444444", "608993")]
    [InlineData("55555555", "388898")]
    [InlineData("66666666", "816933")]
    [InlineData("77777777", "224598")]
    [InlineData("88888888", "750600")]
    [InlineData("99999999", "294470")]
    public void C1_sha1_6_qn08(string question, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA1-6:QN08", Key20, question));

    [Theory]
    [InlineData(0, "65347737")]
    [InlineData(1, "86775851")]
    [InlineData(2, "78192410")]
    [InlineData(3, "71565254")]
    [InlineData(4, "10104329")]
    [InlineData(5, "65983500")]
    [InlineData(6, "70069104")]
    [InlineData(7, "91771096")]
    [InlineData(8, "75011558")]
    [InlineData(9, "08522129")]
    public void C1_sha256_8_counter_qn08_psha1(long counter, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", Key32, "12345678", counter, Pin1234Sha1));

    [Theory]
    [InlineData("00000000", "83238735")]
    [InlineData("11111111", "01501458")]
    [InlineData("22222222", "17957585")]
    [InlineData("33333333", "86776967")]
    [InlineData("44444444", "86807031")]
    public void C1_sha256_8_qn08_psha1(string question, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA256-8:QN08-PSHA1", Key32, question, password: Pin1234Sha1));

    [Theory]
    [InlineData(0, "00000000", "07016083")]
    [InlineData(1, "11111111", "63947962")]
    [InlineData(2, "22222222", "70123924")]
    [InlineData(3, "33333333", "25341727")]
    [InlineData(4, "44444444", "33203315")]
    [InlineData(5, "55555555", "34205738")]
    [InlineData(6, "66666666", "44343969")]
    [InlineData(7, "77777777", "51946085")]
    [InlineData(8, "88888888", "20403879")]
    [InlineData(9, "99999999", "31409299")]
    public void C1_sha512_8_counter_qn08(long counter, string question, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA512-8:C-QN08", Key64, question, counter));

    [Theory]
    [InlineData("00000000", "95209754")]
    [InlineData("11111111", "55907591")]
    [InlineData("22222222", "22048402")]
    [InlineData("33333333", "24218844")]
    [InlineData("44444444", "36209546")]
    public void C1_sha512_8_qn08_t1m(string question, string expected)
    {
        var suite = OcraSuite.Parse("OCRA-1:HOTP-SHA512-8:QN08-T1M");
        // The RFC gives T in minutes; from the instant it names, TimeStepAt must give the same step.
        var step = suite.TimeStepAt(DateTimeOffset.FromUnixTimeSeconds(RfcMinutes * 60 + 59));
        Assert.Equal(RfcMinutes, step);
        Assert.Equal(expected, Ocra.Generate(suite, Key64, question, timeStep: step));
    }

    // C.2 Mutual challenge-response: the question is both challenges, in the order of who computes.
    [Theory]
    [InlineData("CLI22220SRV11110", "28247970")]
    [InlineData("CLI22221SRV11111", "01984843")]
    [InlineData("CLI22222SRV11112", "65387857")]
    [InlineData("CLI22223SRV11113", "03351211")]
    [InlineData("CLI22224SRV11114", "83412541")]
    public void C2_server_sha256_8_qa08(string question, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA256-8:QA08", Key32, question));

    [Theory]
    [InlineData("SRV11110CLI22220", "15510767")]
    [InlineData("SRV11111CLI22221", "90175646")]
    [InlineData("SRV11112CLI22222", "33777207")]
    [InlineData("SRV11113CLI22223", "95285278")]
    [InlineData("SRV11114CLI22224", "28934924")]
    public void C2_client_sha256_8_qa08(string question, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA256-8:QA08", Key32, question));

    [Theory]
    [InlineData("CLI22220SRV11110", "79496648")]
    [InlineData("CLI22221SRV11111", "76831980")]
    [InlineData("CLI22222SRV11112", "12250499")]
    [InlineData("CLI22223SRV11113", "90856481")]
    [InlineData("CLI22224SRV11114", "12761449")]
    public void C2_server_sha512_8_qa08(string question, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA512-8:QA08", Key64, question));

    [Theory]
    [InlineData("SRV11110CLI22220", "18806276")]
    [InlineData("SRV11111CLI22221", "70020315")]
    [InlineData("SRV11112CLI22222", "01600026")]
    [InlineData("SRV11113CLI22223", "18951020")]
    [InlineData("SRV11114CLI22224", "32528969")]
    public void C2_client_sha512_8_qa08_psha1(string question, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA512-8:QA08-PSHA1", Key64, question, password: Pin1234Sha1));

    // C.3 Plain signature, without and with time.
    [Theory]
    [InlineData("SIG10000", "53095496")]
    [InlineData("SIG11000", "04110475")]
    [InlineData("SIG12000", "31331128")]
    [InlineData("SIG13000", "76028668")]
    [InlineData("SIG14000", "46554205")]
    public void C3_signature_sha256_8_qa08(string question, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA256-8:QA08", Key32, question));

    [Theory]
    [InlineData("SIG1000000", "77537423")]
    [InlineData("SIG1100000", "31970405")]
    [InlineData("SIG1200000", "10235557")]
    [InlineData("SIG1300000", "95213541")]
    [InlineData("SIG1400000", "65360607")]
    public void C3_signature_sha512_8_qa10_t1m(string question, string expected) =>
        Assert.Equal(expected, Generate("OCRA-1:HOTP-SHA512-8:QA10-T1M", Key64, question, time: RfcMinutes));

    [Fact]
    public void A_suite_is_parsed_into_its_inputs()
    {
        var suite = OcraSuite.Parse("OCRA-1:HOTP-SHA256-8:C-QH40-PSHA512-S064-T5M");
        Assert.Equal(
            new OcraSuite("OCRA-1:HOTP-SHA256-8:C-QH40-PSHA512-S064-T5M", OcraHash.Sha256, 8, true,
                OcraQuestionFormat.Hex, 40, OcraHash.Sha512, 64, TimeSpan.FromMinutes(5)),
            suite);
        Assert.Equal(new OcraSuite("OCRA-1:HOTP-SHA1-6:QN16-T30S", OcraHash.Sha1, 6, false, OcraQuestionFormat.Numeric, 16,
            null, 0, TimeSpan.FromSeconds(30)), OcraSuite.Parse(TransactionAuthentication.Suite));
    }

    [Theory]
    [InlineData("OCRA-2:HOTP-SHA1-6:QN08")]
    [InlineData("OCRA-1:HOTP-MD5-6:QN08")]
    [InlineData("OCRA-1:HOTP-SHA1-3:QN08")]
    [InlineData("OCRA-1:HOTP-SHA1-11:QN08")]
    [InlineData("OCRA-1:HOTP-SHA1-6:QX08")]
    [InlineData("OCRA-1:HOTP-SHA1-6:QN03")]
    [InlineData("OCRA-1:HOTP-SHA1-6:QN65")]
    [InlineData("OCRA-1:HOTP-SHA1-6:C")]
    [InlineData("OCRA-1:HOTP-SHA1-6:QN08-T60S")]
    [InlineData("OCRA-1:HOTP-SHA1-6:QN08-T49H")]
    [InlineData("OCRA-1:HOTP-SHA1-6:QN08-S000")]
    [InlineData("OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1")] // out of order
    [InlineData("OCRA-1:HOTP-SHA1-6:QN08-X")]
    public void A_malformed_suite_is_refused(string suite) => Assert.Throws<FormatException>(() => OcraSuite.Parse(suite));

    [Fact]
    public void Inputs_must_match_the_suite()
    {
        var suite = OcraSuite.Parse("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1");
        Assert.Throws<ArgumentException>(() => Ocra.Generate(suite, Key32, "12345678", passwordHash: Pin1234Sha1)); // no C
        Assert.Throws<ArgumentException>(() => Ocra.Generate(suite, Key32, "12345678", 0)); // no P
        Assert.Throws<ArgumentException>(() => Ocra.Generate(suite, Key32, "12345678", 0, new byte[32])); // P not SHA-1
        Assert.Throws<ArgumentException>(() => Ocra.Generate(suite, Key32, "1234567a", 0, Pin1234Sha1)); // QN not digits
        Assert.Throws<ArgumentException>(() => Ocra.Generate(suite, Key32, "12345678", 0, Pin1234Sha1, timeStep: 1)); // no T
    }

    [Fact]
    public void A_session_is_left_padded_to_its_length()
    {
        var suite = OcraSuite.Parse("OCRA-1:HOTP-SHA1-6:QN08-S064");
        var padded = new byte[64];
        padded[63] = 0x42;
        Assert.Equal(
            Ocra.Generate(suite, Key20, "12345678", session: padded),
            Ocra.Generate(suite, Key20, "12345678", session: [0x42]));
        Assert.NotEqual(
            Ocra.Generate(suite, Key20, "12345678", session: [0x42]),
            Ocra.Generate(suite, Key20, "12345678", session: [0x43]));
        Assert.Throws<ArgumentException>(() => Ocra.Generate(suite, Key20, "12345678", session: new byte[65]));
    }

    // Why the bank's question starts with a 1: in RFC 6287's QN encoding, n and 16n give the same Q.
    [Fact]
    public void Numeric_questions_n_and_16n_collide_which_is_why_the_bank_layout_fixes_the_hex_length()
    {
        var suite = OcraSuite.Parse("OCRA-1:HOTP-SHA1-6:QN15-T30S");
        Assert.Equal(
            Ocra.Generate(suite, Key20, "000010000000001", timeStep: 1),  // 00001 + 1 yen, without the leading 1
            Ocra.Generate(suite, Key20, "000160000000016", timeStep: 1)); // 00016 + 16 yen
    }
}

public class TransactionAuthenticationTests
{
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_795_514_415); // 2026-11-24 10:00:15Z

    [Fact]
    public void The_suite_fits_the_token_secret_and_the_login_code_rules()
    {
        var suite = OcraSuite.Parse(TransactionAuthentication.Suite);
        Assert.Equal(OcraHash.Sha1, suite.Hash);
        Assert.Equal(TotpRules.Digits, suite.Digits);
        Assert.Equal(TimeSpan.FromSeconds(TransactionAuthentication.StepSeconds), suite.TimeStep);
        Assert.Equal(TotpRules.StepSeconds, TransactionAuthentication.StepSeconds);
        Assert.Equal(TotpRules.SecretBytes, HMACSHA1.HashSizeInBytes); // the key is as long as the hash's output
        Assert.Equal(TransactionAuthentication.Question("00000", 1).Length, suite.QuestionLength);
    }

    // Known answer from the independent Python reference: pins the suite string and the question layout.
    [Fact]
    public void A_known_answer() =>
        Assert.Equal("877238", TransactionAuthentication.Compute(RfcSecret, "00123", 45_000, Now));

    [Theory]
    [InlineData("00123", 45_000L, "1001230000045000")]
    [InlineData("01234", 5_000L, "1012340000005000")]
    [InlineData("00000", 1L, "1000000000000001")]
    [InlineData("99999", 9_999_999_999L, "1999999999999999")]
    public void The_question_is_a_1_the_institution_and_the_amount_in_ten_digits(string institution, long amount, string expected) =>
        Assert.Equal(expected, TransactionAuthentication.Question(institution, amount));

    [Fact]
    public void Questions_whose_digits_run_together_differ_and_so_do_their_codes()
    {
        Assert.NotEqual(TransactionAuthentication.Question("00123", 45_000), TransactionAuthentication.Question("01234", 5_000));
        Assert.Equal("445167", TransactionAuthentication.Compute(RfcSecret, "01234", 5_000, Now));
        Assert.NotEqual(
            TransactionAuthentication.Compute(RfcSecret, "00123", 45_000, Now),
            TransactionAuthentication.Compute(RfcSecret, "01234", 5_000, Now));
    }

    // The pair that collides under a plain 15-digit layout (see OcraTests) gives different codes here.
    [Fact]
    public void The_layout_has_no_n_and_16n_collision()
    {
        Assert.NotEqual(
            TransactionAuthentication.Compute(RfcSecret, "00001", 1, Now),
            TransactionAuthentication.Compute(RfcSecret, "00016", 16, Now));
        // Every question is in [10^15, 2·10^15), so its hex form always has 13 digits.
        Assert.Equal(13, long.Parse(TransactionAuthentication.Question("00000", 1)).ToString("X").Length);
        Assert.Equal(13, long.Parse(TransactionAuthentication.Question("99999", TransactionAuthentication.MaxAmountYen)).ToString("X").Length);
    }

    [Theory]
    [InlineData("00124", 45_000L)]  // another 収納機関
    [InlineData("00123", 45_001L)]  // another amount
    [InlineData("00123", 4_500L)]
    [InlineData("01230", 45_000L)]
    public void A_code_for_another_institution_or_amount_does_not_verify(string institution, long amount)
    {
        var secret = TotpRules.NewSecret();
        var code = TransactionAuthentication.Compute(secret, "00123", 45_000, Now);
        Assert.NotNull(TransactionAuthentication.Verify(secret, "00123", 45_000, code, Now));
        Assert.Null(TransactionAuthentication.Verify(secret, institution, amount, code, Now));
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(-2, false)]
    [InlineData(2, false)]
    public void The_current_step_and_one_either_side_are_accepted_no_more(int stepOffset, bool accepted)
    {
        var code = TransactionAuthentication.Compute(
            RfcSecret, "00123", 45_000, Now.AddSeconds(stepOffset * TransactionAuthentication.StepSeconds));
        var step = TransactionAuthentication.Verify(RfcSecret, "00123", 45_000, code, Now);
        Assert.Equal(accepted ? TransactionAuthentication.StepAt(Now) + stepOffset : (long?)null, step);
    }

    [Fact]
    public void A_login_code_for_the_same_moment_is_not_the_transaction_code()
    {
        var login = TotpRules.Compute(RfcSecret, Now);
        Assert.Equal("292019", login); // the Python reference's TOTP for this moment
        Assert.NotEqual(login, TransactionAuthentication.Compute(RfcSecret, "00123", 45_000, Now));
        Assert.Null(TransactionAuthentication.Verify(RfcSecret, "00123", 45_000, login, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("87723")]
    [InlineData("8772380")]
    [InlineData("８７７２３８")] // the server normalizes first (OtpCode.Normalize); Verify takes ASCII only
    public void A_code_that_is_not_six_ascii_digits_does_not_verify(string? code) =>
        Assert.Null(TransactionAuthentication.Verify(RfcSecret, "00123", 45_000, code!, Now));

    [Theory]
    [InlineData("0012a", 45_000L)]
    [InlineData("１２３４５", 45_000L)]
    [InlineData("1234", 45_000L)]
    [InlineData("123456", 45_000L)]
    [InlineData("", 45_000L)]
    [InlineData("00123", 0L)]
    [InlineData("00123", -1L)]
    [InlineData("00123", 10_000_000_000L)]
    public void Bad_inputs_throw(string institution, long amount)
    {
        Assert.Throws<ArgumentException>(() => TransactionAuthentication.Question(institution, amount));
        Assert.Throws<ArgumentException>(() => TransactionAuthentication.Compute(RfcSecret, institution, amount, Now));
        Assert.Throws<ArgumentException>(() => TransactionAuthentication.Verify(RfcSecret, institution, amount, "877238", Now));
    }

    [Fact]
    public void A_null_institution_throws() =>
        Assert.Throws<ArgumentNullException>(() => TransactionAuthentication.Question(null!, 1));
}
