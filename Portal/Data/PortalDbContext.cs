using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Auditing;
using Portal.Domain.Banking;
using Portal.Domain.Notices;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Otp;

namespace Portal.Data;

/// <summary>
/// The one model of the portal. Each database provider has a subclass only so that it can carry its own
/// migration set (Data/Migrations/Sqlite, Data/Migrations/Postgres); see docs/decisions/0001.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options)
    : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<SignInTicket> SignInTickets => Set<SignInTicket>();
    public DbSet<PortalSession> PortalSessions => Set<PortalSession>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<OtpRegistration> OtpRegistrations => Set<OtpRegistration>();
    public DbSet<TokenIssue> TokenIssues => Set<TokenIssue>();
    public DbSet<UsedOtpStep> UsedOtpSteps => Set<UsedOtpStep>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<UnknownLoginAttempt> UnknownLoginAttempts => Set<UnknownLoginAttempt>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<CollectingInstitution> CollectingInstitutions => Set<CollectingInstitution>();
    public DbSet<Bill> Bills => Set<Bill>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<PayEasyStop> PayEasyStops => Set<PayEasyStop>();
    public DbSet<RateCounter> RateCounters => Set<RateCounter>();
    public DbSet<ServiceStop> ServiceStops => Set<ServiceStop>();
    public DbSet<StopLink> StopLinks => Set<StopLink>();

    /// <summary>
    /// Whose internet banking is stopped (利用停止 not lifted). The one definition that sign-in, the ticket redemption,
    /// the circuit check and the payment ask, each composing it into a query it makes anyway
    /// (<c>db.StopsInForce.Any(s =&gt; s.UserId == u.Id)</c>).
    /// </summary>
    public IQueryable<ServiceStop> StopsInForce => ServiceStops.Where(s => s.LiftedAt == null);

    /// <summary>
    /// Who is 利用中, with which token: a 利用中 registration and the token issue in force for it. The one definition; a
    /// query may compose it (<c>db.TokensInUse.Any(t =&gt; t.UserId == u.Id)</c>) to ask it in the same round trip.
    /// </summary>
    public IQueryable<TokenInUse> TokensInUse =>
        from r in OtpRegistrations
        join i in TokenIssues on r.CurrentIssueId equals i.Id
        where r.Status == RegistrationStatus.InUse
        select new TokenInUse { UserId = r.UserId, Issue = i, StartedAt = r.StartedAt!.Value };

    /// <summary>The audit trail and the ledger are append-only: a save that would change or delete an entry is refused.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RefuseAuditChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RefuseAuditChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void RefuseAuditChanges()
    {
        if (ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("Audit entries are append-only.");
        if (ChangeTracker.Entries<LedgerEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
            throw new InvalidOperationException("Ledger entries are append-only.");
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<PortalUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(100);
            // The admin list sorted by failures stops at its page (docs/decisions/0011).
            user.HasIndex(u => new { u.AccessFailedCount, u.NormalizedUserName });
        });

        builder.Entity<OtpRegistration>(registration =>
        {
            registration.HasKey(r => r.UserId);
            registration.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            registration.Property(r => r.Version).IsConcurrencyToken();
            registration.HasIndex(r => r.Status);
            // The admin list by issue date walks the issues' date index and finds each one's registration (0011).
            registration.HasIndex(r => r.CurrentIssueId);
            registration.HasOne<PortalUser>().WithOne().HasForeignKey<OtpRegistration>(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<TokenIssue>(issue =>
        {
            issue.Property(i => i.ServiceId).HasMaxLength(20);
            issue.Property(i => i.TokenUserId).HasMaxLength(10);
            issue.HasIndex(i => i.TokenUserId).IsUnique();
            issue.Property(i => i.MobileEmail).HasMaxLength(254);
            issue.Property(i => i.ActivationPasswordHash).HasMaxLength(200);
            issue.Property(i => i.DownloadCodeHash).HasMaxLength(64);
            issue.HasIndex(i => i.DownloadCodeHash).IsUnique();
            issue.Property(i => i.ActivationUserAgent).HasMaxLength(512);
            issue.Property(i => i.ActivationAddress).HasMaxLength(64);
            issue.Property(i => i.ProtectedSecret).HasMaxLength(1000);
            issue.Property(i => i.VoidReason).HasMaxLength(32);
            issue.Property(i => i.Version).IsConcurrencyToken();
            issue.HasIndex(i => i.UserId);
            issue.HasIndex(i => i.IssuedAt);
            issue.HasOne<PortalUser>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        // One row per accepted (token, kind of code, challenge, time step): the primary key makes a second acceptance
        // impossible, and a sign-in code and a 取引認証 code of the same step are claimed apart.
        builder.Entity<UsedOtpStep>(used =>
        {
            used.HasKey(u => new { u.TokenIssueId, u.Kind, u.Challenge, u.Step });
            used.Property(u => u.Kind).HasConversion<string>().HasMaxLength(16);
            used.Property(u => u.Challenge).HasMaxLength(32);
            used.HasOne<TokenIssue>().WithMany().HasForeignKey(u => u.TokenIssueId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.UserId).HasMaxLength(450);
            entry.Property(e => e.Actor).HasMaxLength(64);
            entry.Property(e => e.Event).HasMaxLength(32);
            entry.Property(e => e.Outcome).HasMaxLength(16);
            entry.Property(e => e.SourceAddress).HasMaxLength(64);
            entry.Property(e => e.Detail).HasMaxLength(500);
            entry.HasIndex(e => new { e.UserId, e.At });
            entry.HasIndex(e => new { e.Event, e.At });
        });

        // The balance is moved only by Ledger.PostAsync's conditional UPDATE; the CHECK is the database's own backstop
        // (decision 0009).
        builder.Entity<Account>(account =>
        {
            account.ToTable(t => t.HasCheckConstraint("CK_Accounts_Balance_NotNegative", "\"Balance\" >= 0"));
            account.Property(a => a.UserId).HasMaxLength(450);
            account.HasIndex(a => a.UserId).IsUnique();
            account.Property(a => a.BranchCode).HasMaxLength(3);
            account.Property(a => a.BranchName).HasMaxLength(40);
            account.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
            account.Property(a => a.Number).HasMaxLength(Account.NumberLength);
            account.HasIndex(a => new { a.BranchCode, a.Number }).IsUnique();
            account.Property(a => a.HolderKana).HasMaxLength(Account.HolderKanaMaxLength);
            account.HasOne<PortalUser>().WithOne().HasForeignKey<Account>(a => a.UserId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<LedgerEntry>(entry =>
        {
            entry.ToTable(t =>
            {
                t.HasCheckConstraint("CK_LedgerEntries_Amount_NotZero", "\"Amount\" <> 0");
                t.HasCheckConstraint("CK_LedgerEntries_BalanceAfter_NotNegative", "\"BalanceAfter\" >= 0");
            });
            entry.Property(e => e.Description).HasMaxLength(LedgerEntry.DescriptionMaxLength);
            entry.Ignore(e => e.Paid);
            entry.Ignore(e => e.Received);
            // A statement page is a range of one account's entries in booking order: this index serves the filter, the
            // order and the OFFSET without touching the table until the page's rows.
            entry.HasIndex(e => new { e.AccountId, e.At, e.Id });
            entry.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        // The embedded billing center's own tables (decision 0012).
        builder.Entity<CollectingInstitution>(institution =>
        {
            institution.HasKey(i => i.Number);
            institution.Property(i => i.Number).HasMaxLength(CollectingInstitution.NumberLength);
            institution.Property(i => i.Name).HasMaxLength(60);
        });

        builder.Entity<Bill>(bill =>
        {
            bill.Property(b => b.InstitutionNumber).HasMaxLength(CollectingInstitution.NumberLength);
            bill.Property(b => b.CustomerNumber).HasMaxLength(Bill.CustomerNumberMaxLength);
            bill.Property(b => b.ConfirmationNumber).HasMaxLength(Bill.ConfirmationNumberMaxLength);
            bill.Property(b => b.PaymentCategory).HasMaxLength(Bill.PaymentCategoryMaxLength);
            bill.Property(b => b.ChargeName).HasMaxLength(60);
            bill.Property(b => b.PayerName).HasMaxLength(60);
            bill.Property(b => b.Status).HasConversion<string>().HasMaxLength(16);
            bill.Property(b => b.ReceiptNumber).HasMaxLength(Payment.ReceiptNumberLength);
            // One bill per お客様番号 (納付番号) of a 収納機関: a lookup finds one bill or none.
            bill.HasIndex(b => new { b.InstitutionNumber, b.CustomerNumber }).IsUnique();
            bill.HasOne<CollectingInstitution>().WithMany().HasForeignKey(b => b.InstitutionNumber).OnDelete(DeleteBehavior.Restrict);
        });

        // A payment row exists from 払込内容確認 on; its ID is the idempotency key of 実行 (decision 0012).
        builder.Entity<Payment>(payment =>
        {
            payment.Property(p => p.UserId).HasMaxLength(450);
            payment.Property(p => p.BillReference).HasMaxLength(40);
            payment.Property(p => p.InstitutionNumber).HasMaxLength(CollectingInstitution.NumberLength);
            payment.Property(p => p.InstitutionName).HasMaxLength(60);
            payment.Property(p => p.ChargeName).HasMaxLength(60);
            payment.Property(p => p.PayerName).HasMaxLength(60);
            payment.Property(p => p.MaskedCustomerNumber).HasMaxLength(Bill.CustomerNumberMaxLength);
            payment.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
            payment.Property(p => p.Refusal).HasConversion<string>().HasMaxLength(32);
            payment.Property(p => p.ReceiptNumber).HasMaxLength(Payment.ReceiptNumberLength);
            payment.HasIndex(p => p.ReceiptNumber).IsUnique();
            payment.HasIndex(p => new { p.UserId, p.Status, p.AcceptedAt });
            payment.Ignore(p => p.Total);
            payment.ToTable(t => t.HasCheckConstraint("CK_Payments_Amount_Positive", "\"Amount\" > 0 AND \"Fee\" >= 0"));
            payment.HasOne<PortalUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Restrict);
            payment.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<PayEasyStop>(stop =>
        {
            stop.HasKey(s => s.UserId);
            stop.Property(s => s.Version).IsConcurrencyToken();
            stop.HasOne<PortalUser>().WithOne().HasForeignKey<PayEasyStop>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<ServiceStop>(stop =>
        {
            stop.HasKey(s => s.UserId);
            stop.Property(s => s.StoppedBy).HasMaxLength(256);
            stop.Property(s => s.LiftedBy).HasMaxLength(256);
            stop.HasOne<PortalUser>().WithOne().HasForeignKey<ServiceStop>(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<StopLink>(link =>
        {
            link.Property(l => l.TokenHash).HasMaxLength(64);
            link.HasIndex(l => l.TokenHash).IsUnique();
            link.HasIndex(l => l.ExpiresAt);
            link.HasOne<PortalUser>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Notice>(notice =>
        {
            notice.Property(n => n.Title).HasMaxLength(200);
            notice.Property(n => n.Body).HasMaxLength(4000);
            notice.HasIndex(n => n.EndsOn);
        });

        builder.Entity<SignInTicket>(ticket =>
        {
            ticket.Property(t => t.SecretHash).HasMaxLength(64);
            ticket.HasIndex(t => t.SecretHash).IsUnique();
            ticket.Property(t => t.Factors).HasMaxLength(32);
            ticket.HasIndex(t => t.ExpiresAt);
            ticket.HasOne<PortalUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<UnknownLoginAttempt>(attempt =>
        {
            attempt.HasKey(a => a.KeyHash);
            attempt.Property(a => a.KeyHash).HasMaxLength(64);
            attempt.HasIndex(a => a.LastFailureAt);
        });

        // One row per key and window, counted by one upsert on every instance (RateCounters, docs/decisions/0014).
        builder.Entity<RateCounter>(counter =>
        {
            counter.HasKey(c => new { c.Key, c.WindowStart });
            counter.Property(c => c.Key).HasMaxLength(100);
            counter.HasIndex(c => c.WindowStart);
        });

        builder.Entity<PortalSession>(session =>
        {
            session.HasIndex(s => s.UserId);
            session.Property(s => s.EndReason).HasMaxLength(32);
            session.Property(s => s.RemoteAddress).HasMaxLength(64);
            session.Property(s => s.UserAgent).HasMaxLength(512);
            session.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
