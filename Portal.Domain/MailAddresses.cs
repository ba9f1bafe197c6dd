namespace Portal.Domain;

/// <summary>Mail addresses as a notice may show them.</summary>
public static class MailAddresses
{
    /// <summary>
    /// The mobile address in a notice to the registered address: enough for the customer to recognise their own
    /// (the first two characters and the domain), too little for anyone else to learn it: <c>ab***@docomo.ne.jp</c>.
    /// </summary>
    public static string Mask(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0) return "***";
        var local = address[..at];
        var shown = local.Length > 2 ? local[..2] : local[..1];
        return shown + "***" + address[at..];
    }
}
