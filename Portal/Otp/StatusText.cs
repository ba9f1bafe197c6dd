using Portal.Domain.Otp;
using Portal.Resources;

namespace Portal.Otp;

/// <summary>The Japanese label of each 登録状況, from the one resource file.</summary>
public static class StatusText
{
    public static string Label(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Applied => Labels.StatusApplied,
        RegistrationStatus.InUse => Labels.StatusInUse,
        _ => Labels.StatusUnregistered,
    };

    public static string Help(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Applied => Labels.OtpStatusHelpApplied,
        RegistrationStatus.InUse => Labels.OtpStatusHelpInUse,
        _ => Labels.OtpStatusHelpUnregistered,
    };
}
