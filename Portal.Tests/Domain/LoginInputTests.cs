using Portal.Domain.SignIn;

namespace Portal.Tests.Domain;

public class LoginInputTests
{
    [Theory]
    [InlineData("kitashin01", LoginInputError.None)]
    [InlineData("a.b-c_d@e", LoginInputError.None)]
    [InlineData("", LoginInputError.Required)]
    [InlineData("   ", LoginInputError.Required)]
    [InlineData(null, LoginInputError.Required)]
    [InlineData("<script>alert(1)</script>", LoginInputError.InvalidCharacters)]
    [InlineData("' OR '1'='1", LoginInputError.InvalidCharacters)]
    [InlineData("きたしん", LoginInputError.InvalidCharacters)]
    [InlineData("ｋｉｔａ", LoginInputError.InvalidCharacters)] // full-width letters are not half-width
    [InlineData("😀", LoginInputError.InvalidCharacters)]
    public void Login_id_shape(string? value, LoginInputError expected) =>
        Assert.Equal(expected, LoginInput.CheckLoginId(value));

    [Fact]
    public void Login_id_longer_than_the_limit_is_too_long()
    {
        Assert.Equal(LoginInputError.None, LoginInput.CheckLoginId(new string('a', LoginInput.LoginIdMaxLength)));
        Assert.Equal(LoginInputError.TooLong, LoginInput.CheckLoginId(new string('a', LoginInput.LoginIdMaxLength + 1)));
        Assert.Equal(LoginInputError.TooLong, LoginInput.CheckLoginId(new string('a', 10_000)));
    }

    [Theory]
    [InlineData("Kitashin-01", LoginInputError.None)]
    [InlineData("<b>パスワード</b>", LoginInputError.None)] // any printable character may be part of a password
    [InlineData("", LoginInputError.Required)]
    [InlineData(null, LoginInputError.Required)]
    public void Password_shape(string? value, LoginInputError expected) =>
        Assert.Equal(expected, LoginInput.CheckPassword(value));

    [Fact]
    public void Password_longer_than_the_limit_is_too_long() =>
        Assert.Equal(LoginInputError.TooLong, LoginInput.CheckPassword(new string('x', 10_000)));
}
