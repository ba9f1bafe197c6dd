using Portal.Domain;

namespace Portal.Tests.Domain;

public class MailAddressesTests
{
    [Theory]
    [InlineData("abcdef@docomo.ne.jp", "ab***@docomo.ne.jp")]
    [InlineData("ab@ezweb.ne.jp", "a***@ezweb.ne.jp")]
    [InlineData("a@i.softbank.jp", "a***@i.softbank.jp")]
    [InlineData("first.last+tag@example.jp", "fi***@example.jp")]
    [InlineData("no-at-sign", "***")]
    public void A_mobile_address_in_a_notice_shows_two_characters_and_the_domain(string address, string masked) =>
        Assert.Equal(masked, MailAddresses.Mask(address));
}
