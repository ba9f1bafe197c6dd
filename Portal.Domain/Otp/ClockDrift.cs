namespace Portal.Domain.Otp;

/// <summary>Whether a customer's phone clock seems off, from the step offsets of their latest accepted codes.</summary>
public static class ClockDrift
{
    /// <summary>How many accepted codes in a row must agree before the customer is told.</summary>
    public const int Evidence = 3;

    /// <summary>
    /// Seconds the phone seems ahead (positive) or behind (negative), when the latest <see cref="Evidence"/> codes
    /// all matched the same neighbouring step; null when they did not, or when there are too few.
    /// </summary>
    /// <param name="offsetsNewestFirst">Step offsets (-1, 0, +1) of accepted codes, newest first.</param>
    public static int? EstimateSeconds(IReadOnlyList<int> offsetsNewestFirst)
    {
        if (offsetsNewestFirst.Count < Evidence) return null;
        var latest = offsetsNewestFirst.Take(Evidence).ToList();
        return latest[0] != 0 && latest.All(o => o == latest[0]) ? latest[0] * TotpRules.StepSeconds : null;
    }
}
