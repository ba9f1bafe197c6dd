using System.Text;
using Portal.Domain.Otp;

namespace Portal.Tests.Domain;

public class TotpTests
{
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    // RFC 6238 Appendix B, HMAC-SHA1 column (8 digits).
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Rfc_6238_appendix_b_vectors(long unixTime, string expected) =>
        Assert.Equal(expected, TotpRules.Compute(RfcSecret, DateTimeOffset.FromUnixTimeSeconds(unixTime), digits: 8));

    [Fact]
    public void Six_digit_codes_are_the_last_six_of_the_rfc_value() =>
        Assert.Equal("287082", TotpRules.Compute(RfcSecret, DateTimeOffset.FromUnixTimeSeconds(59)));

    [Theory]
    [InlineData(-1, true)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(-2, false)]
    [InlineData(2, false)]
    public void The_current_step_and_one_either_side_are_accepted_no_more(int stepOffset, bool accepted)
    {
        var secret = TotpRules.NewSecret();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var code = TotpRules.Compute(secret, now.AddSeconds(stepOffset * TotpRules.StepSeconds));
        var step = TotpRules.Verify(secret, code, now);
        Assert.Equal(accepted, step is not null);
        if (accepted) Assert.Equal(TotpRules.StepAt(now) + stepOffset, step);
    }

    [Fact]
    public void Secrets_are_160_random_bits()
    {
        var a = TotpRules.NewSecret();
        Assert.Equal(20, a.Length);
        Assert.NotEqual(a, TotpRules.NewSecret());
        Assert.Equal(32, TotpRules.ToBase32(a).TrimEnd('=').Length);
    }
}

public class OtpCodeTests
{
    [Theory]
    [InlineData("123456", "123456")]
    [InlineData("１２３４５６", "123456")]     // full-width digits
    [InlineData("123 456", "123456")]
    [InlineData("123-456", "123456")]
    [InlineData("１２３－４５６", "123456")]
    [InlineData(" 123\u3000456 ", "123456")]    // full-width space
    public void Accepts_what_people_type(string input, string expected) => Assert.Equal(expected, OtpCode.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("😀12345")]
    [InlineData("<b>123456</b>")]
    [InlineData("１２３４５")]
    public void Refuses_anything_else(string? input) => Assert.Null(OtpCode.Normalize(input));

    [Fact]
    public void Refuses_ten_thousand_characters() => Assert.Null(OtpCode.Normalize(new string('1', 10_000)));
}

public class ClockDriftTests
{
    [Theory]
    [InlineData(new[] { 1, 1, 1 }, 30)]
    [InlineData(new[] { -1, -1, -1, 0 }, -30)]
    [InlineData(new[] { 1, 1, 0 }, null)]
    [InlineData(new[] { 0, 0, 0 }, null)]
    [InlineData(new[] { 1, -1, 1 }, null)]
    [InlineData(new[] { 1, 1 }, null)]
    public void Only_a_run_of_the_same_neighbouring_step_counts(int[] offsets, int? expected) =>
        Assert.Equal(expected, Portal.Domain.Otp.ClockDrift.EstimateSeconds(offsets));
}
