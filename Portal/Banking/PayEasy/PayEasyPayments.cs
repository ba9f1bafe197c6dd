using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Auditing;
using Portal.Domain.Banking;
using Portal.Domain.Otp;
using Portal.Mail;
using Portal.Identity;
using Portal.Otp;

namespace Portal.Banking.PayEasy;

/// <summary>Section "PayEasy".</summary>
public sealed class PayEasySettings
{
    /// <summary>1日の払込限度額 in yen, per customer and Japan day (payments and their fees together).</summary>
    public long DailyLimitYen { get; set; } = PayEasyRules.DefaultDailyLimitYen;

    /// <summary>How long a 払込内容確認 may be executed after it was shown.</summary>
    public double ConfirmationMinutes { get; set; } = 15;
}

/// <summary>
/// 税金・各種料金の払込み, one method per step, and the 払込み履歴. Every method takes the signed-in customer's user ID
/// and reaches only that customer's account and payments. The payment itself is <see cref="ExecuteAsync"/>: one
/// holder per confirmation, the 取引認証 proven by <see cref="OtpProof"/>, then one transaction (decision 0012).
/// </summary>
public sealed class PayEasyPayments(
    IDbContextFactory<PortalDbContext> dbs,
    IBillingCenter billingCenter,
    OtpProof otpProof,
    Ledger ledger,
    PayEasyStops stops,
    SecurityNotices notices,
    SecurityLog security,
    IOptions<PayEasySettings> settings,
    IOptions<NewTokenSettings> newTokens,
    TimeProvider clock,
    ILogger<PayEasyPayments> logger)
{
    public const int MaxPageSize = 100;

    /// <summary>How long a loser of a doubled 実行 waits for the winner's result before answering "in progress".</summary>
    private static readonly TimeSpan WaitForHolder = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the customer may pay at all: 利用中, signed in with the code in this session, has a representative account,
    /// and is not stopped; and the 1日の払込限度額 in force (smaller for a new token).
    /// </summary>
    public Task<PayEasyAccess> CheckAccessAsync(CustomerRef customer, CancellationToken cancellationToken = default) =>
        AccessAsync(customer, cancellationToken).OrUnavailableAsync(new PayEasyAccess(PayEasyBlock.Unavailable), logger);

    private async Task<PayEasyAccess> AccessAsync(CustomerRef customer, CancellationToken cancellationToken)
    {
        var userId = customer.UserId;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        // 利用停止 (StopsInForce), 利用中 (TokensInUse) and the account, each asked through its one definition, in one round trip.
        var state = await db.Users.Where(u => u.Id == userId).Select(u => new
        {
            Stopped = db.StopsInForce.Any(s => s.UserId == userId),
            StartedAt = db.TokensInUse.Where(t => t.UserId == userId).Select(t => (DateTimeOffset?)t.StartedAt).FirstOrDefault(),
            HasAccount = db.Accounts.Any(a => a.UserId == userId),
        }).SingleOrDefaultAsync(cancellationToken);
        if (state?.Stopped == true) return new(PayEasyBlock.ServiceStopped);
        if (state?.StartedAt is not { } startedAt) return new(PayEasyBlock.NotInUse);
        // A password alone moves no money (SPEC 7): not even in the session where the thief started use of their own token.
        if (!customer.SignedInWithCode) return new(PayEasyBlock.CodeSignInRequired);
        if (!state.HasAccount) return new(PayEasyBlock.NoAccount);
        if (await stops.FindStopAsync(userId, cancellationToken) is { } until) return new(PayEasyBlock.Stopped, until);
        return new(PayEasyBlock.None, Limit: PayEasyRules.LimitAt(startedAt, clock.GetUtcNow(), DailyLimit, newTokens.Value.NewTokenLimit));
    }

    /// <summary>Step 1: 収納機関番号 → the 収納機関 (its name, and whether it is a public body).</summary>
    public Task<InstitutionStep> FindInstitutionAsync(CustomerRef customer, string? institutionNumber, CancellationToken cancellationToken = default) =>
        FindInstitutionCoreAsync(customer, institutionNumber, cancellationToken).OrUnavailableAsync(new InstitutionStep(InstitutionOutcome.Unavailable), logger);

    private async Task<InstitutionStep> FindInstitutionCoreAsync(CustomerRef customer, string? institutionNumber, CancellationToken cancellationToken)
    {
        var error = PayEasyRules.CheckInstitutionNumber(institutionNumber);
        if (error != PayEasyFieldError.None) return new(InstitutionOutcome.Invalid, error);
        var access = await AccessAsync(customer, cancellationToken);
        if (!access.Allowed) return new(InstitutionOutcome.Blocked, Access: access);
        return await billingCenter.FindInstitutionAsync(institutionNumber!, cancellationToken) is { } institution
            ? new(InstitutionOutcome.Found, Institution: institution)
            : new(InstitutionOutcome.NotFound);
    }

    /// <summary>
    /// Step 2: the bill, and a new confirmation (the idempotency key) for 払込内容確認. A bill that is not found counts
    /// toward the Pay-easy stop; bad field input changes nothing.
    /// </summary>
    public Task<BillLookupResult> LookUpBillAsync(CustomerRef customer, string? institutionNumber, string? customerNumber, string? confirmationNumber,
        string? paymentCategory, CancellationToken cancellationToken = default) =>
        LookUpBillCoreAsync(customer, institutionNumber, customerNumber, confirmationNumber, paymentCategory, cancellationToken)
            .OrUnavailableAsync(new BillLookupResult(LookupOutcome.Unavailable), logger);

    private async Task<BillLookupResult> LookUpBillCoreAsync(CustomerRef customer, string? institutionNumber, string? customerNumber,
        string? confirmationNumber, string? paymentCategory, CancellationToken cancellationToken)
    {
        var (userId, sourceAddress) = (customer.UserId, customer.SourceAddress);
        if (PayEasyRules.CheckInstitutionNumber(institutionNumber) != PayEasyFieldError.None) return new(LookupOutcome.NotFound);
        var access = await AccessAsync(customer, cancellationToken);
        if (!access.Allowed) return new(LookupOutcome.Blocked, Access: access);
        var institution = await billingCenter.FindInstitutionAsync(institutionNumber!, cancellationToken);
        if (institution is null) return new(LookupOutcome.NotFound);

        var errors = new BillQueryErrors(
            PayEasyRules.CheckCustomerNumber(customerNumber),
            PayEasyRules.CheckConfirmationNumber(confirmationNumber),
            institution.IsPublicBody ? PayEasyRules.CheckPaymentCategory(paymentCategory) : PayEasyFieldError.None);
        if (errors.Any) return new(LookupOutcome.Invalid, Errors: errors);

        var now = clock.GetUtcNow();
        var query = new BillQuery(institution.Number, customerNumber!, confirmationNumber!, institution.IsPublicBody ? paymentCategory : null);
        var lookup = await billingCenter.FindBillAsync(query, now, cancellationToken);
        if (lookup.Outcome != BillLookupOutcome.Found)
        {
            // A paid, cancelled or expired bill is a miss too: guessing must not find others' old bills to reset the count.
            var failure = await stops.CountFailureAsync(userId, sourceAddress, cancellationToken);
            if (failure.StoppedUntil is { } until) return new(LookupOutcome.Blocked, Access: new(PayEasyBlock.Stopped, until));
            return new(lookup.Outcome switch
            {
                BillLookupOutcome.NotFound => LookupOutcome.NotFound,
                BillLookupOutcome.Paid => LookupOutcome.Paid,
                BillLookupOutcome.Cancelled => LookupOutcome.Cancelled,
                _ => LookupOutcome.Expired,
            }, FailuresLeft: failure.FailuresLeft);
        }

        var bill = lookup.Bill!;
        if (!PayEasyRules.IsPayable(bill.Amount, bill.Fee)) return new(LookupOutcome.Cancelled);
        var total = bill.Amount + bill.Fee;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.UserId == userId, cancellationToken);
        if (!PayEasyRules.WithinDailyLimit(await PaidTodayAsync(db, userId, now, cancellationToken), total, access.Limit!.Daily))
            return new(LookupOutcome.OverDailyLimit, Access: access);
        var balance = new Money(account.Balance);
        if (Posting.Apply(balance, -total).Error != PostingError.None) return new(LookupOutcome.InsufficientFunds);

        var payment = new Payment
        {
            Id = Guid.NewGuid(), UserId = userId, AccountId = account.Id, BillReference = bill.Reference,
            InstitutionNumber = bill.InstitutionNumber, InstitutionName = bill.InstitutionName, IsPublicBody = institution.IsPublicBody,
            ChargeName = bill.ChargeName,
            PayerName = bill.PayerName, MaskedCustomerNumber = PayEasyRules.Mask(customerNumber!),
            Amount = bill.Amount.Yen, Fee = bill.Fee.Yen, Status = PaymentStatus.Pending, CreatedAt = now,
        };
        db.Payments.Add(payment);
        await db.SaveChangesAsync(cancellationToken);
        return new(LookupOutcome.Confirm, new PaymentConfirmation(payment.Id, payment.InstitutionNumber, payment.InstitutionName,
            payment.ChargeName, payment.PayerName, payment.MaskedCustomerNumber, bill.Amount, bill.Fee, total,
            account.BranchName, account.Number, balance, balance - total));
    }

    /// <summary>
    /// Step 3 実行: pays the confirmation once, however often and from wherever it is called. One caller holds the
    /// confirmation (a conditional UPDATE); it proves the 取引認証 code bound to the confirmation's 収納機関番号 and
    /// 払込金額, then moves money, marks the bill paid, accepts the payment and audits it in one transaction. Any other
    /// caller gets the holder's result.
    /// </summary>
    public Task<ExecutionResult> ExecuteAsync(CustomerRef customer, Guid confirmationKey, string? code,
        CancellationToken cancellationToken = default) =>
        ExecuteCoreAsync(customer, confirmationKey, code, cancellationToken)
            .OrUnavailableAsync(new ExecutionResult(ExecutionOutcome.Unavailable), logger);

    private async Task<ExecutionResult> ExecuteCoreAsync(CustomerRef customer, Guid confirmationKey, string? code,
        CancellationToken cancellationToken)
    {
        var (userId, sourceAddress) = (customer.UserId, customer.SourceAddress);
        if (OtpCode.Normalize(code) is not { } normalizedCode) return new(ExecutionOutcome.InvalidCode);
        var now = clock.GetUtcNow();
        var payment = await FindPaymentAsync(userId, confirmationKey, cancellationToken);
        if (payment is null) return new(ExecutionOutcome.ConfirmationGone);
        if (payment.Status is PaymentStatus.Accepted or PaymentStatus.Refused) return ResultOf(payment);
        if (now - payment.CreatedAt > ConfirmationLifetime) return new(ExecutionOutcome.ConfirmationGone);

        // The same gate as the steps before: a stop that began after 払込内容確認 was shown holds here too.
        var access = await AccessAsync(customer, cancellationToken);
        if (!access.Allowed) return new(ExecutionOutcome.Blocked, Access: access);
        var token = await otpProof.FindTokenInUseAsync(userId, cancellationToken);
        if (token is null) return new(ExecutionOutcome.Blocked, Access: new(PayEasyBlock.NotInUse));
        var hold = Guid.NewGuid();
        if (!await TakeHoldAsync(userId, confirmationKey, hold, now, cancellationToken))
            return await WaitForResultAsync(userId, confirmationKey, cancellationToken);

        ExecutionResult paid;
        try
        {
            var check = await otpProof.ProveTransactionAsync(token, normalizedCode,
                new TransactionChallenge(payment.InstitutionNumber, payment.Amount), payment.Id, sourceAddress, cancellationToken);
            if (check.Verdict != CodeVerdict.Accepted)
            {
                await ReleaseHoldAsync(confirmationKey, hold, cancellationToken);
                return check.Verdict switch
                {
                    CodeVerdict.LockedOut => new(ExecutionOutcome.LockedOut, LockedUntil: check.LockedUntil),
                    CodeVerdict.Replayed => new(ExecutionOutcome.CodeUsed),
                    CodeVerdict.StepTaken => new(ExecutionOutcome.WaitForNextCode),
                    _ => new(ExecutionOutcome.WrongCode),
                };
            }
            paid = await PayAsync(payment, hold, access.Limit!.Daily, sourceAddress, cancellationToken);
        }
        catch
        {
            // Nothing of the payment committed (or, if the commit's answer was lost, the row is no longer held and this
            // changes nothing): let the next 実行 hold it at once rather than after the lease. If the database is still
            // away this fails too, and the lease frees it.
            try { await ReleaseHoldAsync(confirmationKey, hold, CancellationToken.None); }
            catch (Exception again) when (Saving.IsOutage(again)) { }
            throw;
        }

        if (paid.Outcome == ExecutionOutcome.Accepted)
        {
            security.PaymentAccepted(userId, payment.Total, sourceAddress);
            // Only a completed payment (or Japan midnight) ends a run of wrong お客様番号/確認番号.
            try { await stops.ResetAsync(userId, cancellationToken); }
            catch (Exception e) when (Saving.IsOutage(e)) { SecurityLog.DatabaseUnavailable(logger, e); } // paid is paid
            var receipt = paid.Receipt!;
            // Paid is paid: a mail that cannot find its address for an outage is logged, never turned into "try again".
            await notices.PaymentAcceptedAsync(userId, receipt, cancellationToken)
                .OrUnavailableAsync(false, logger);
        }
        else security.PaymentRefused(userId, paid.Outcome, sourceAddress);
        return paid;
    }

    /// <summary>One accepted payment of the customer by 受付番号 (払込結果 after a reload, the history's detail).</summary>
    public async Task<PaymentReceipt?> FindReceiptAsync(string userId, string receiptNumber, CancellationToken cancellationToken = default)
    {
        if (receiptNumber is not { Length: Payment.ReceiptNumberLength } || !receiptNumber.All(char.IsAsciiDigit)) return null;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var payment = await db.Payments.AsNoTracking()
            .SingleOrDefaultAsync(p => p.UserId == userId && p.ReceiptNumber == receiptNumber && p.Status == PaymentStatus.Accepted, cancellationToken);
        return payment is null ? null : ReceiptOf(payment);
    }

    /// <summary>How many accepted payments the period has (受付日時 in the period, Japan days).</summary>
    public async Task<int> CountHistoryAsync(string userId, StatementPeriod period, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await History(db, userId, period).CountAsync(cancellationToken);
    }

    /// <summary>A page of the period's accepted payments, newest first.</summary>
    public async Task<IReadOnlyList<PaymentReceipt>> GetHistoryPageAsync(string userId, StatementPeriod period, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var size = Math.Clamp(pageSize, 1, MaxPageSize);
        var rows = await History(db, userId, period).OrderByDescending(p => p.AcceptedAt).ThenByDescending(p => p.ReceiptNumber)
            .Skip(Math.Max(page, 0) * size).Take(size).ToListAsync(cancellationToken);
        return rows.Select(ReceiptOf).ToList();
    }

    private Money DailyLimit => new(settings.Value.DailyLimitYen);
    private TimeSpan ConfirmationLifetime => TimeSpan.FromMinutes(settings.Value.ConfirmationMinutes);

    private static IQueryable<Payment> History(PortalDbContext db, string userId, StatementPeriod period)
    {
        var (from, before) = (period.StartsAt, period.EndsBefore);
        return db.Payments.AsNoTracking().Where(p => p.UserId == userId && p.Status == PaymentStatus.Accepted
                                                     && p.AcceptedAt >= from && p.AcceptedAt < before);
    }

    /// <summary>What the customer has paid (with fees) since the start of today's Japan day.</summary>
    private static async Task<Money> PaidTodayAsync(PortalDbContext db, string userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dayStart = JapanTime.StartOf(JapanTime.DateOf(now));
        var paid = await db.Payments.Where(p => p.UserId == userId && p.Status == PaymentStatus.Accepted && p.AcceptedAt >= dayStart)
            .SumAsync(p => (long?)(p.Amount + p.Fee), cancellationToken);
        return new Money(paid ?? 0);
    }

    private async Task<Payment?> FindPaymentAsync(string userId, Guid key, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.Payments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == key && p.UserId == userId, cancellationToken);
    }

    /// <summary>Pending → Processing for exactly one caller; a holder that died is taken over after the lease.</summary>
    private async Task<bool> TakeHoldAsync(string userId, Guid key, Guid hold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var staleBefore = now - PayEasyRules.ProcessingLease;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.Payments
            .Where(p => p.Id == key && p.UserId == userId
                        && (p.Status == PaymentStatus.Pending || p.Status == PaymentStatus.Processing && p.ProcessingSince < staleBefore))
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, PaymentStatus.Processing).SetProperty(p => p.ProcessingSince, now)
                .SetProperty(p => p.HoldId, hold), cancellationToken) == 1;
    }

    /// <summary>A refused code leaves the confirmation to be tried again with the next code; only our own hold is released.</summary>
    private async Task ReleaseHoldAsync(Guid key, Guid hold, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await db.Payments.Where(p => p.Id == key && p.Status == PaymentStatus.Processing && p.HoldId == hold)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, PaymentStatus.Pending).SetProperty(p => p.ProcessingSince, (DateTimeOffset?)null)
                .SetProperty(p => p.HoldId, (Guid?)null), cancellationToken);
    }

    /// <summary>The holder's result, polled for a few seconds of real time (another request's progress, not business time).</summary>
    private async Task<ExecutionResult> WaitForResultAsync(string userId, Guid key, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var payment = await FindPaymentAsync(userId, key, cancellationToken);
            if (payment is null) return new(ExecutionOutcome.ConfirmationGone);
            if (payment.Status is PaymentStatus.Accepted or PaymentStatus.Refused) return ResultOf(payment);
            if (waited.Elapsed >= WaitForHolder) return new(ExecutionOutcome.InProgress);
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>
    /// The payment's one transaction: the account row is locked first (so the day's total is read after any racing
    /// payment of the same customer has committed), then the limit, the bill, the debit, the payment row and the audit
    /// entry. Any refusal rolls everything back and records the refusal on the payment.
    /// </summary>
    private async Task<ExecutionResult> PayAsync(Payment payment, Guid hold, Money dailyLimit, string? sourceAddress, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var receiptNumber = NewReceiptNumber(now);
            PaymentRefusal refusal;
            await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.Accounts.Where(a => a.Id == payment.AccountId)
                    .ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
                // Still ours, read under the account lock: a holder taken over after the lease writes nothing.
                var row = await db.Payments.SingleOrDefaultAsync(p => p.Id == payment.Id && p.Status == PaymentStatus.Processing && p.HoldId == hold,
                    cancellationToken);
                if (row is null) return await WaitForResultAsync(payment.UserId, payment.Id, cancellationToken);
                if (!PayEasyRules.WithinDailyLimit(await PaidTodayAsync(db, payment.UserId, now, cancellationToken), new Money(payment.Total), dailyLimit))
                    refusal = PaymentRefusal.DailyLimit;
                else if (!await billingCenter.RecordPaymentAsync(db, payment.BillReference, new Money(payment.Amount), new Money(payment.Fee),
                             receiptNumber, now, cancellationToken))
                    refusal = PaymentRefusal.BillNotPayable;
                else
                {
                    var posting = await ledger.PostWithinAsync(db, payment.AccountId, new Money(-payment.Total), Description(payment), now, cancellationToken);
                    if (!posting.Posted) refusal = PaymentRefusal.InsufficientFunds;
                    else
                    {
                        row.Status = PaymentStatus.Accepted;
                        row.AcceptedAt = now;
                        row.ReceiptNumber = receiptNumber;
                        row.LedgerEntryId = posting.EntryId;
                        row.BalanceAfter = posting.Balance.Yen;
                        db.AuditEntries.Add(AuditEntry.Record(now, payment.UserId, AuditActors.Customer, AuditEvents.Payment, AuditEvents.Succeeded,
                            sourceAddress, AuditDetails.Payment(receiptNumber)));
                        var saved = await db.SaveAsync(cancellationToken);
                        if (saved == SaveOutcome.Saved)
                        {
                            await transaction.CommitAsync(cancellationToken);
                            return ResultOf(row);
                        }
                        // Only the 受付番号 is unique here: another payment drew the same one. Draw again.
                        if (attempt == 2) throw new InvalidOperationException($"No free 受付番号 after 3 attempts ({saved}).");
                        continue;
                    }
                }
            }
            return await RefuseAsync(payment, hold, refusal, sourceAddress, now, cancellationToken);
        }
    }

    private async Task<ExecutionResult> RefuseAsync(Payment payment, Guid hold, PaymentRefusal refusal, string? sourceAddress, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var refused = await db.Payments.Where(p => p.Id == payment.Id && p.Status == PaymentStatus.Processing && p.HoldId == hold)
            .ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, PaymentStatus.Refused).SetProperty(p => p.Refusal, refusal), cancellationToken);
        // Taken over meanwhile: the other holder's result is the answer, and this refusal is nobody's.
        if (refused == 0) return await WaitForResultAsync(payment.UserId, payment.Id, cancellationToken);
        db.AuditEntries.Add(AuditEntry.Record(now, payment.UserId, AuditActors.Customer, AuditEvents.Payment, AuditEvents.Failed,
            sourceAddress, AuditDetails.PaymentRefused(refusal.ToString())));
        await db.SaveChangesAsync(cancellationToken);
        return new(OutcomeOf(refusal));
    }

    private static ExecutionResult ResultOf(Payment payment) => payment.Status == PaymentStatus.Accepted
        ? new(ExecutionOutcome.Accepted, ReceiptOf(payment))
        : new(payment.Refusal is { } refusal ? OutcomeOf(refusal) : ExecutionOutcome.ConfirmationGone);

    private static ExecutionOutcome OutcomeOf(PaymentRefusal refusal) => refusal switch
    {
        PaymentRefusal.InsufficientFunds => ExecutionOutcome.InsufficientFunds,
        PaymentRefusal.DailyLimit => ExecutionOutcome.DailyLimit,
        _ => ExecutionOutcome.BillNotPayable,
    };

    internal static PaymentReceipt ReceiptOf(Payment p) => new(p.ReceiptNumber ?? "", p.AcceptedAt ?? p.CreatedAt, p.InstitutionNumber,
        p.InstitutionName, p.IsPublicBody, p.ChargeName, p.PayerName, p.MaskedCustomerNumber, new Money(p.Amount), new Money(p.Fee), new Money(p.Total),
        new Money(p.BalanceAfter ?? 0), p.Status);

    /// <summary>摘要 of the debit: ペイジー and the 収納機関名, cut to the ledger's 40 characters.</summary>
    private static string Description(Payment payment)
    {
        var text = $"ペイジー　{payment.InstitutionName}";
        return text.Length <= LedgerEntry.DescriptionMaxLength ? text : text[..LedgerEntry.DescriptionMaxLength];
    }

    /// <summary>受付番号: the Japan date (yyMMdd) and 10 random digits.</summary>
    private static string NewReceiptNumber(DateTimeOffset now) =>
        now.ToOffset(JapanTime.Offset).ToString("yyMMdd", CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", CultureInfo.InvariantCulture)
        + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", CultureInfo.InvariantCulture);
}
