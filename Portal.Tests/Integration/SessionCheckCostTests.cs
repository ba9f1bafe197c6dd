using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>What the session check costs the database: one read per request, a write only when due, nothing for a file.</summary>
public class SessionCheckCostTests : IAsyncLifetime
{
    private readonly SessionStatements _statements = new();
    private readonly PortalFactory _portal;

    public SessionCheckCostTests() => _portal = new PortalFactory().WithServices(services =>
        services.ConfigureDbContext<PostgresPortalDbContext>(options => options.AddInterceptors(_statements)));

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task A_signed_in_page_reads_the_session_once_without_writing_and_a_static_file_not_at_all()
    {
        var cancel = TestContext.Current.CancellationToken;
        var customer = await _portal.CreateCustomerAsync();
        using var client = await HttpSignIn.SignedInClientAsync(_portal, customer.UserId, SignInFactors.Password);

        _statements.Clear();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/css/portal.css", cancel)).StatusCode);
        Assert.Empty(_statements.Seen);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", cancel)).StatusCode);
        // The cookie check reads the row; the menu's prerender may read it once more for the customer's address.
        Assert.InRange(_statements.Seen.Count(s => s.StartsWith("SELECT", StringComparison.Ordinal)), 1, 2);
        Assert.DoesNotContain(_statements.Seen, s => s.StartsWith("UPDATE", StringComparison.Ordinal)); // active seconds ago
    }

    /// <summary>Every statement that names the sessions table, by its first word.</summary>
    private sealed class SessionStatements : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> _seen = new();

        public IReadOnlyList<string> Seen => [.. _seen];

        public void Clear() => _seen.Clear();

        private void Record(DbCommand command)
        {
            if (command.CommandText.Contains("\"PortalSessions\"", StringComparison.Ordinal))
                _seen.Enqueue(command.CommandText.TrimStart());
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
