namespace Portal.Domain.SignIn;

public enum LoginInputError
{
    None,
    Required,
    TooLong,
    InvalidCharacters,
}

/// <summary>
/// Shape rules for what the customer types on the ログイン画面. They say nothing about whether an account
/// exists, so they may be shown next to the field without helping anyone guess IDs.
/// </summary>
public static class LoginInput
{
    public const int LoginIdMaxLength = 32;
    public const int PasswordMaxLength = 64;

    /// <summary>Login IDs are half-width letters, digits and a few symbols.</summary>
    public static LoginInputError CheckLoginId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return LoginInputError.Required;
        if (value.Length > LoginIdMaxLength) return LoginInputError.TooLong;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
                return LoginInputError.InvalidCharacters;
        }
        return LoginInputError.None;
    }

    /// <summary>Passwords may hold any printable character; only presence and length are checked here.</summary>
    public static LoginInputError CheckPassword(string? value)
    {
        if (string.IsNullOrEmpty(value)) return LoginInputError.Required;
        if (value.Length > PasswordMaxLength) return LoginInputError.TooLong;
        return LoginInputError.None;
    }
}
