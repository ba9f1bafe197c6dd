namespace Portal.Domain.Otp;

/// <summary>Why bank staff acted on a customer's OTP: chosen from a list, with free text where the list is not enough.</summary>
public enum AdminReasonCode { LostPhone, ChangedPhone, CustomerRequest, SuspectedFraud, Other }

public enum AdminReasonError { None, Required, NoteRequired, NoteTooLong }

public static class AdminReason
{
    public const int NoteMaxLength = 200;

    /// <summary>A reason is required; "other" needs a note saying what it was.</summary>
    public static AdminReasonError Check(AdminReasonCode? code, string? note)
    {
        if (code is null) return AdminReasonError.Required;
        if (note is { Length: > NoteMaxLength }) return AdminReasonError.NoteTooLong;
        if (code == AdminReasonCode.Other && string.IsNullOrWhiteSpace(note)) return AdminReasonError.NoteRequired;
        return AdminReasonError.None;
    }
}
