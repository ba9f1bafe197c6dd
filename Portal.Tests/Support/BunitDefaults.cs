using Bunit;

[assembly: AssemblyFixture(typeof(Portal.Tests.Support.BunitDefaults))]

namespace Portal.Tests.Support;

/// <summary>
/// Components here call the real services on PostgreSQL; on a loaded 2-core machine a sign-in (a full password hash
/// and a few statements) can take longer than bUnit's 1 s default wait, so every WaitFor allows 10 s.
/// </summary>
public sealed class BunitDefaults
{
    public BunitDefaults() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
}
