using Portal.Banking;
using Portal.Domain;

namespace Portal.Tests.Support;

/// <summary>Ledger bookings for tests, on Japan days.</summary>
public static class Bookings
{
    public static DateOnly Today => JapanTime.Today(TimeProvider.System);

    /// <summary>A booking at <paramref name="hour"/>:00 Japan time on <paramref name="day"/>.</summary>
    public static DemoBooking At(DateOnly day, int hour, string description, long amount) =>
        new(new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), JapanTime.Offset).ToUniversalTime(), description, amount);
}
