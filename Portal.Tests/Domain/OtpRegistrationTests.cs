using Portal.Domain.Otp;

namespace Portal.Tests.Domain;

public class OtpRegistrationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private static OtpRegistration In(RegistrationStatus status)
    {
        var registration = OtpRegistration.For("u1", Now);
        if (status >= RegistrationStatus.Applied) registration.Issue(Guid.NewGuid(), Now);
        if (status == RegistrationStatus.InUse) registration.StartUse(Now);
        Assert.Equal(status, registration.Status);
        return registration;
    }

    public static TheoryData<RegistrationStatus, string, RegistrationStatus?> Transitions => new()
    {
        // from, transition, to (null: refused)
        { RegistrationStatus.Unregistered, "Issue", RegistrationStatus.Applied },
        { RegistrationStatus.Unregistered, "StartUse", null },
        { RegistrationStatus.Unregistered, "CancelUse", null },
        { RegistrationStatus.Unregistered, "Expire", null },
        { RegistrationStatus.Unregistered, "ForceCancel", RegistrationStatus.Unregistered },
        { RegistrationStatus.Applied, "Issue", RegistrationStatus.Applied },
        { RegistrationStatus.Applied, "StartUse", RegistrationStatus.InUse },
        { RegistrationStatus.Applied, "CancelUse", RegistrationStatus.Unregistered },
        { RegistrationStatus.Applied, "Expire", RegistrationStatus.Unregistered },
        { RegistrationStatus.Applied, "ForceCancel", RegistrationStatus.Unregistered },
        { RegistrationStatus.InUse, "Issue", null },
        { RegistrationStatus.InUse, "StartUse", null },
        { RegistrationStatus.InUse, "CancelUse", RegistrationStatus.Unregistered },
        { RegistrationStatus.InUse, "Expire", null },
        { RegistrationStatus.InUse, "ForceCancel", RegistrationStatus.Unregistered },
    };

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Every_transition_is_allowed_or_refused_as_the_spec_says(RegistrationStatus from, string transition, RegistrationStatus? to)
    {
        var registration = In(from);
        var version = registration.Version;
        Action act = transition switch
        {
            "Issue" => () => registration.Issue(Guid.NewGuid(), Now),
            "StartUse" => () => registration.StartUse(Now),
            "CancelUse" => () => registration.CancelUse(Now),
            "Expire" => () => registration.Expire(Now),
            _ => () => registration.ForceCancel(Now),
        };

        if (to is null)
        {
            var refused = Assert.Throws<OtpTransitionRefusedException>(act);
            Assert.Equal(from, refused.From);
            Assert.Equal(from, registration.Status);
            Assert.Equal(version, registration.Version);
        }
        else
        {
            act();
            Assert.Equal(to, registration.Status);
            Assert.Equal(version + 1, registration.Version);
        }
    }

    [Fact]
    public void Leaving_for_unregistered_forgets_the_issue_and_start()
    {
        var registration = In(RegistrationStatus.InUse);
        registration.CancelUse(Now);
        Assert.Null(registration.CurrentIssueId);
        Assert.Null(registration.StartedAt);
    }

    [Theory]
    [InlineData(RegistrationStatus.Unregistered, true, false, false)]
    [InlineData(RegistrationStatus.Applied, true, true, true)]
    [InlineData(RegistrationStatus.InUse, false, false, true)]
    public void Menu_buttons_per_status(RegistrationStatus status, bool issue, bool start, bool cancel)
    {
        Assert.Equal(issue, OtpMenu.IsEnabled(status, OtpMenuAction.IssueToken));
        Assert.Equal(start, OtpMenu.IsEnabled(status, OtpMenuAction.StartUse));
        Assert.Equal(cancel, OtpMenu.IsEnabled(status, OtpMenuAction.CancelUse));
    }
}

public class TokenIssueTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private static TokenIssue NewIssue() =>
        TokenIssue.Create("u1", "KITASHIN", "taro@docomo.ne.jp", "hash", "code-hash", Now, TokenIssue.DefaultLifetime);

    [Fact]
    public void The_user_id_is_ten_random_digits()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => NewIssue().TokenUserId).ToList();
        Assert.All(ids, id => Assert.Matches("^[0-9]{10}$", id));
        Assert.True(ids.Distinct().Count() > 45);
    }

    [Fact]
    public void Activation_succeeds_once()
    {
        var issue = NewIssue();
        Assert.Equal(ActivationOutcome.Activated, issue.Activate(true, Now.AddMinutes(1), "phone", "10.0.0.1", "protected"));
        Assert.Equal("protected", issue.ProtectedSecret);
        Assert.Equal(ActivationOutcome.NotActivatable, issue.Activate(true, Now.AddMinutes(2), "phone", "10.0.0.1", "other"));
        Assert.Equal("protected", issue.ProtectedSecret);
    }

    [Fact]
    public void Five_wrong_passwords_void_the_issue()
    {
        var issue = NewIssue();
        for (var i = 1; i < TokenIssue.MaxActivationFailures; i++)
            Assert.Equal(ActivationOutcome.WrongPassword, issue.Activate(false, Now, null, null, "x"));
        Assert.Equal(ActivationOutcome.Voided, issue.Activate(false, Now, null, null, "x"));
        Assert.True(issue.IsVoid);
        Assert.Equal(ActivationOutcome.NotActivatable, issue.Activate(true, Now, null, null, "x"));
        Assert.Null(issue.ProtectedSecret);
    }

    [Fact]
    public void An_issue_expires_seven_days_after_it_was_made_unless_in_use()
    {
        var issue = NewIssue();
        var lastMoment = Now.AddDays(7).AddTicks(-1);
        Assert.False(issue.IsLapsedAt(lastMoment, RegistrationStatus.Applied));
        Assert.True(issue.IsLapsedAt(Now.AddDays(7), RegistrationStatus.Applied));
        Assert.False(issue.IsLapsedAt(Now.AddDays(70), RegistrationStatus.InUse));
        Assert.Equal(ActivationOutcome.NotActivatable, issue.Activate(true, Now.AddDays(7), null, null, "x"));
    }

    [Fact]
    public void Voiding_destroys_the_secret()
    {
        var issue = NewIssue();
        issue.Activate(true, Now, null, null, "protected");
        issue.Void("reissued", Now);
        Assert.Null(issue.ProtectedSecret);
        Assert.Equal("reissued", issue.VoidReason);
    }
}

public class EnrollmentInputTests
{
    [Theory]
    [InlineData("1234", ActivationPasswordError.None)]
    [InlineData("12345678", ActivationPasswordError.None)]
    [InlineData("", ActivationPasswordError.Required)]
    [InlineData(null, ActivationPasswordError.Required)]
    [InlineData("123", ActivationPasswordError.WrongLength)]
    [InlineData("123456789", ActivationPasswordError.WrongLength)]
    [InlineData("１２３４", ActivationPasswordError.NotHalfWidthDigits)]
    [InlineData("12ab", ActivationPasswordError.NotHalfWidthDigits)]
    [InlineData("12 34", ActivationPasswordError.NotHalfWidthDigits)]
    public void Activation_password_is_four_to_eight_half_width_digits(string? value, ActivationPasswordError expected) =>
        Assert.Equal(expected, EnrollmentInput.CheckActivationPassword(value));

    [Theory]
    [InlineData("1234", "1234", ConfirmationError.None)]
    [InlineData("1234", "1235", ConfirmationError.Mismatch)]
    [InlineData("1234", "", ConfirmationError.Required)]
    public void Confirmation_must_match(string password, string confirmation, ConfirmationError expected) =>
        Assert.Equal(expected, EnrollmentInput.CheckConfirmation(password, confirmation));

    [Theory]
    [InlineData("abo@docomo.ne.jp", MobileEmailError.None)]
    [InlineData("taro.kita+otp@ezweb.ne.jp", MobileEmailError.None)]
    [InlineData("", MobileEmailError.Required)]
    [InlineData("abo", MobileEmailError.Invalid)]
    [InlineData("abo@docomo", MobileEmailError.Invalid)]
    [InlineData("Taro <abo@docomo.ne.jp>", MobileEmailError.Invalid)]
    [InlineData("abo@docomo.ne.jp, evil@x.jp", MobileEmailError.Invalid)]
    [InlineData("<script>@x.jp", MobileEmailError.Invalid)]
    [InlineData("たろう@docomo.ne.jp", MobileEmailError.Invalid)]
    public void Mobile_address_is_one_plain_address(string value, MobileEmailError expected) =>
        Assert.Equal(expected, EnrollmentInput.CheckMobileEmail(value));

    [Fact]
    public void A_300_character_address_is_too_long() =>
        Assert.Equal(MobileEmailError.TooLong, EnrollmentInput.CheckMobileEmail(new string('a', 288) + "@docomo.ne.jp"));
}

public class AdminReasonTests
{
    [Theory]
    [InlineData(null, null, AdminReasonError.Required)]
    [InlineData(AdminReasonCode.LostPhone, null, AdminReasonError.None)]
    [InlineData(AdminReasonCode.Other, "", AdminReasonError.NoteRequired)]
    [InlineData(AdminReasonCode.Other, "支店窓口で申し出", AdminReasonError.None)]
    public void A_reason_is_required_and_other_needs_a_note(AdminReasonCode? code, string? note, AdminReasonError expected) =>
        Assert.Equal(expected, AdminReason.Check(code, note));

    [Fact]
    public void Notes_are_at_most_200_characters() =>
        Assert.Equal(AdminReasonError.NoteTooLong, AdminReason.Check(AdminReasonCode.LostPhone, new string('x', 201)));
}
