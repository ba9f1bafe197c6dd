using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Portal.Admin;
using Portal.Banking.PayEasy;
using Portal.Domain;
using Portal.Domain.Auditing;
using Portal.Domain.Banking;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Otp;
using Portal.Tests.Support;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Integration;

/// <summary>
/// Pay-easy on the real PostgreSQL: a payment is one transaction, paid once however often it is executed, refused
/// for a code made for another payee or amount, for a paid bill, over the day's limit, and stopped after ten wrong
/// bill numbers until the end of the Japan day.
/// </summary>
public class PayEasyPaymentTests : IAsyncLifetime
{
    // Noon in Japan, so that "today" is unambiguous; the clock moves only when a test says so.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 3, 0, 10, TimeSpan.Zero));
    private readonly PortalFactory _portal;
    private CancellationToken Cancel => TestContext.Current.CancellationToken;
    private const string Source = "198.51.100.20";

    // These tests are about the bank's own limit; the new-token limit of the first 72 hours has its own (NewTokenPaymentTests).
    public PayEasyPaymentTests() => _portal = new PortalFactory { Clock = _clock }.With("PayEasy:DailyLimitYen", "100000")
        .With("Security:NewTokenHours", "0");

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    private DateTimeOffset Now => _clock.GetUtcNow();
    private PayEasyPayments Payments => _portal.Services.GetRequiredService<PayEasyPayments>();

    /// <summary>A 利用中 customer with a representative account holding <paramref name="balance"/> yen.</summary>
    private async Task<(EnrolledCustomer Customer, long AccountId)> PayerAsync(long balance)
    {
        var customer = await _portal.CreateEnrolledCustomerAsync(Now);
        var (accountId, _) = await _portal.CreateAccountAsync(customer.Customer.UserId, [At(Today.AddDays(-3), 9, "給与", balance)]);
        return (customer, accountId);
    }

    private static DateOnly Today => new(2026, 11, 24);

    private static string CodeFor(EnrolledCustomer customer, string institution, long amount, DateTimeOffset at) =>
        TransactionAuthentication.Compute(Base32Encoding.ToBytes(customer.Token.Secret), institution, amount, at);

    private async Task<PaymentConfirmation> ConfirmAsync(EnrolledCustomer customer, Bill bill)
    {
        var result = await Payments.LookUpBillAsync(CodeSession.Of(customer.Customer.UserId, Source), bill.InstitutionNumber, bill.CustomerNumber,
            bill.ConfirmationNumber, bill.PaymentCategory, Cancel);
        Assert.Equal(LookupOutcome.Confirm, result.Outcome);
        return result.Confirmation!;
    }

    private Task<ExecutionResult> ExecuteAsync(EnrolledCustomer customer, PaymentConfirmation confirmation, string code) =>
        Payments.ExecuteAsync(CodeSession.Of(customer.Customer.UserId, Source), confirmation.Key, code, Cancel);

    private async Task<(long Balance, int Entries, int Accepted)> StateAsync(long accountId, string userId)
    {
        await using var db = _portal.Database.CreateContext();
        return (await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Balance).SingleAsync(Cancel),
            await db.LedgerEntries.CountAsync(e => e.AccountId == accountId, Cancel),
            await db.Payments.CountAsync(p => p.UserId == userId && p.Status == PaymentStatus.Accepted, Cancel));
    }

    private async Task<BillStatus> BillStatusAsync(long billId)
    {
        await using var db = _portal.Database.CreateContext();
        return await db.Bills.Where(b => b.Id == billId).Select(b => b.Status).SingleAsync(Cancel);
    }

    [Fact]
    public async Task A_payment_debits_marks_the_bill_paid_records_history_audits_and_mails_without_the_full_customer_number()
    {
        var (customer, accountId) = await PayerAsync(100_000);
        var bill = await _portal.CreateBillAsync(12_000, "71450", fee: 220);
        var before = await StateAsync(accountId, customer.Customer.UserId);

        var confirmation = await ConfirmAsync(customer, bill);
        Assert.Equal(("キタシン通販株式会社", 12_000L, 220L, 12_220L, 100_000L, 87_780L),
            (confirmation.InstitutionName, confirmation.Amount.Yen, confirmation.Fee.Yen, confirmation.Total.Yen, confirmation.Balance.Yen,
                confirmation.BalanceAfter.Yen));
        Assert.DoesNotContain(bill.CustomerNumber, confirmation.MaskedCustomerNumber);

        var paid = await ExecuteAsync(customer, confirmation, CodeFor(customer, "71450", 12_000, Now));

        Assert.Equal(ExecutionOutcome.Accepted, paid.Outcome);
        var receipt = paid.Receipt!;
        Assert.Matches("^[0-9]{16}$", receipt.ReceiptNumber);
        Assert.Equal(87_780, receipt.BalanceAfter.Yen);
        Assert.Equal((87_780L, before.Entries + 1, 1), await StateAsync(accountId, customer.Customer.UserId));
        Assert.Equal(BillStatus.Paid, await BillStatusAsync(bill.Id));
        await using (var db = _portal.Database.CreateContext())
        {
            var entry = await db.LedgerEntries.Where(e => e.AccountId == accountId).OrderByDescending(e => e.Id).FirstAsync(Cancel);
            Assert.Equal((-12_220L, "ペイジー　キタシン通販株式会社"), (entry.Amount, entry.Description));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.UserId == customer.Customer.UserId && a.Event == AuditEvents.Payment
                                                            && a.Outcome == AuditEvents.Succeeded && a.Detail!.Contains(receipt.ReceiptNumber), Cancel));
        }
        Assert.Equal(receipt, await Payments.FindReceiptAsync(customer.Customer.UserId, receipt.ReceiptNumber, Cancel));
        var month = StatementPeriods.Fixed(PeriodKind.Month, Today);
        Assert.Equal(1, await Payments.CountHistoryAsync(customer.Customer.UserId, month, Cancel));
        Assert.Equal(receipt, Assert.Single(await Payments.GetHistoryPageAsync(customer.Customer.UserId, month, 0, 20, Cancel)));

        var mail = await MailDev.WaitForMailAsync(customer.Customer.Email, m => m.Subject.Contains("払込受付のお知らせ"));
        Assert.Contains(receipt.ReceiptNumber, mail.Text);
        Assert.Contains("12,000円", mail.Text);
        Assert.DoesNotContain(bill.CustomerNumber, mail.Text);
        Assert.Contains(bill.CustomerNumber[^4..], mail.Text);

        // Another customer cannot see it.
        var other = await _portal.CreateCustomerAsync();
        Assert.Null(await Payments.FindReceiptAsync(other.UserId, receipt.ReceiptNumber, Cancel));
    }

    [Fact]
    public async Task Fifty_parallel_executions_of_one_confirmation_debit_once_and_all_answer_with_the_one_receipt_or_in_progress()
    {
        var (customer, accountId) = await PayerAsync(100_000);
        var bill = await _portal.CreateBillAsync(8_640);
        var confirmation = await ConfirmAsync(customer, bill);
        var code = CodeFor(customer, bill.InstitutionNumber, 8_640, Now);

        using var start = new SemaphoreSlim(0);
        var runs = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync(Cancel);
            return await ExecuteAsync(customer, confirmation, code);
        }, Cancel)).ToList();
        start.Release(50);
        var results = await Task.WhenAll(runs);

        var receipts = results.Where(r => r.Outcome == ExecutionOutcome.Accepted).Select(r => r.Receipt!.ReceiptNumber).Distinct().ToList();
        Assert.Single(receipts);
        Assert.All(results, r => Assert.Contains(r.Outcome, new[] { ExecutionOutcome.Accepted, ExecutionOutcome.InProgress }));
        Assert.Equal((100_000L - 8_640, 2, 1), await StateAsync(accountId, customer.Customer.UserId));

        // A retry later, even with a stale code, answers with the first result and pays nothing.
        _clock.Advance(TimeSpan.FromMinutes(3));
        var retry = await ExecuteAsync(customer, confirmation, "000000");
        Assert.Equal((ExecutionOutcome.Accepted, receipts[0]), (retry.Outcome, retry.Receipt!.ReceiptNumber));
        Assert.Equal((100_000L - 8_640, 2, 1), await StateAsync(accountId, customer.Customer.UserId));
        var user = await _portal.FindUserAsync(customer.Customer.UserId);
        Assert.Equal(0, user.AccessFailedCount); // no one was counted as a wrong code
    }

    [Fact]
    public async Task Parallel_payments_that_together_exceed_the_balance_leave_it_at_or_above_zero_with_every_accepted_one_recorded()
    {
        var (customer, accountId) = await PayerAsync(30_000);
        var confirmations = new List<(PaymentConfirmation Confirmation, string Code)>();
        for (var i = 0; i < 6; i++)
        {
            var amount = 10_000 + i; // different amounts: six codes of one step
            var bill = await _portal.CreateBillAsync(amount);
            confirmations.Add((await ConfirmAsync(customer, bill), CodeFor(customer, bill.InstitutionNumber, amount, Now)));
        }

        var results = await Task.WhenAll(confirmations.Select(c => Task.Run(() => ExecuteAsync(customer, c.Confirmation, c.Code), Cancel)));

        var accepted = results.Where(r => r.Outcome == ExecutionOutcome.Accepted).ToList();
        Assert.Equal(2, accepted.Count); // 30,000 covers two of ~10,000 each, never a third
        Assert.All(results.Where(r => r.Outcome != ExecutionOutcome.Accepted), r => Assert.Equal(ExecutionOutcome.InsufficientFunds, r.Outcome));
        var (balance, _, acceptedRows) = await StateAsync(accountId, customer.Customer.UserId);
        Assert.Equal(30_000 - accepted.Sum(r => r.Receipt!.Total.Yen), balance);
        Assert.True(balance >= 0);
        Assert.Equal(2, acceptedRows);
    }

    [Fact]
    public async Task A_code_for_another_amount_or_institution_or_a_sign_in_code_is_refused_and_counted_and_the_right_one_then_pays()
    {
        var (customer, accountId) = await PayerAsync(100_000);
        var bill = await _portal.CreateBillAsync(5_000);
        var confirmation = await ConfirmAsync(customer, bill);

        Assert.Equal(ExecutionOutcome.WrongCode, (await ExecuteAsync(customer, confirmation, CodeFor(customer, bill.InstitutionNumber, 50_000, Now))).Outcome);
        Assert.Equal(ExecutionOutcome.WrongCode, (await ExecuteAsync(customer, confirmation, CodeFor(customer, "71450", 5_000, Now))).Outcome);
        Assert.Equal(ExecutionOutcome.WrongCode, (await ExecuteAsync(customer, confirmation, TokenHelpers.CodeAt(customer.Token, Now))).Outcome);
        Assert.Equal(ExecutionOutcome.InvalidCode, (await ExecuteAsync(customer, confirmation, "<b>12</b>")).Outcome);
        Assert.Equal(3, (await _portal.FindUserAsync(customer.Customer.UserId)).AccessFailedCount);
        Assert.Equal(BillStatus.Unpaid, await BillStatusAsync(bill.Id));

        var paid = await ExecuteAsync(customer, confirmation, CodeFor(customer, bill.InstitutionNumber, 5_000, Now));
        Assert.Equal(ExecutionOutcome.Accepted, paid.Outcome);
        Assert.Equal(0, (await _portal.FindUserAsync(customer.Customer.UserId)).AccessFailedCount);
        Assert.Equal(95_000, (await StateAsync(accountId, customer.Customer.UserId)).Balance);
    }

    [Fact]
    public async Task A_payment_code_never_signs_in_and_one_payment_code_is_used_once()
    {
        var (customer, _) = await PayerAsync(100_000);
        var bill = await _portal.CreateBillAsync(3_000);
        var code = CodeFor(customer, bill.InstitutionNumber, 3_000, Now);
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<PasswordSignIn>();
            var result = await signIn.CheckOtpAsync(new PendingOtpSignIn(customer.Customer.UserId, Now.AddMinutes(5)), code, null, Cancel);
            Assert.NotEqual(PasswordCheckOutcome.Succeeded, result.Outcome);
        }
        Assert.Equal(ExecutionOutcome.Accepted, (await ExecuteAsync(customer, await ConfirmAsync(customer, bill), code)).Outcome);

        // The same bill cannot be confirmed again; a second bill of the same payee and amount in the same step
        // has the same code, which is spent.
        var again = await Payments.LookUpBillAsync(CodeSession.Of(customer.Customer.UserId, Source), bill.InstitutionNumber, bill.CustomerNumber,
            bill.ConfirmationNumber, bill.PaymentCategory, Cancel);
        Assert.Equal(LookupOutcome.Paid, again.Outcome);
        var twin = await _portal.CreateBillAsync(3_000);
        var twinConfirmation = await ConfirmAsync(customer, twin);
        Assert.Equal(ExecutionOutcome.WaitForNextCode, (await ExecuteAsync(customer, twinConfirmation, code)).Outcome);
        // Not a replay: nothing counted, no "someone used your code" mail; the next step's code pays it.
        Assert.Equal(0, (await _portal.FindUserAsync(customer.Customer.UserId)).AccessFailedCount);
        Assert.DoesNotContain(await MailDev.AllToAsync(customer.Customer.Email), m => m.Subject.Contains("使用済み"));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(ExecutionOutcome.Accepted, (await ExecuteAsync(customer, twinConfirmation, CodeFor(customer, "58021", 3_000, Now))).Outcome);
    }

    [Fact]
    public async Task A_bill_whose_amount_changed_after_the_confirmation_is_refused_and_a_stop_holds_at_execution_too()
    {
        var (customer, accountId) = await PayerAsync(100_000);
        var bill = await _portal.CreateBillAsync(2_000);
        var confirmation = await ConfirmAsync(customer, bill);
        await using (var db = _portal.Database.CreateContext())
            await db.Bills.Where(b => b.Id == bill.Id).ExecuteUpdateAsync(set => set.SetProperty(b => b.Amount, 20_000), Cancel);
        Assert.Equal(ExecutionOutcome.BillNotPayable, (await ExecuteAsync(customer, confirmation, CodeFor(customer, "58021", 2_000, Now))).Outcome);
        Assert.Equal(100_000, (await StateAsync(accountId, customer.Customer.UserId)).Balance);

        var other = await ConfirmAsync(customer, await _portal.CreateBillAsync(1_500));
        for (var i = 0; i < 10; i++) await Payments.LookUpBillAsync(CodeSession.Of(customer.Customer.UserId, Source), "58021", "99999999", "9999", null, Cancel);
        var stopped = await ExecuteAsync(customer, other, CodeFor(customer, "58021", 1_500, Now));
        Assert.Equal((ExecutionOutcome.Blocked, PayEasyBlock.Stopped), (stopped.Outcome, stopped.Access!.Block));
        Assert.Equal(100_000, (await StateAsync(accountId, customer.Customer.UserId)).Balance);
    }

    [Fact]
    public async Task Wrong_payment_codes_count_toward_the_same_lock_as_sign_in()
    {
        var (customer, _) = await PayerAsync(100_000);
        var confirmation = await ConfirmAsync(customer, await _portal.CreateBillAsync(1_000));
        ExecutionResult last = null!;
        for (var i = 0; i < 5; i++) last = await ExecuteAsync(customer, confirmation, "000000");
        Assert.Equal(ExecutionOutcome.LockedOut, last.Outcome);
        Assert.NotNull(last.LockedUntil);
        // Locked: even the right code does not pay.
        Assert.Equal(ExecutionOutcome.LockedOut,
            (await ExecuteAsync(customer, confirmation, CodeFor(customer, "58021", 1_000, Now))).Outcome);
    }

    [Fact]
    public async Task A_bill_paid_elsewhere_after_the_confirmation_is_refused_and_nothing_is_debited()
    {
        var (first, _) = await PayerAsync(100_000);
        var (second, secondAccount) = await PayerAsync(100_000);
        var bill = await _portal.CreateBillAsync(7_000);
        var firstConfirmation = await ConfirmAsync(first, bill);
        var secondConfirmation = await ConfirmAsync(second, bill);

        Assert.Equal(ExecutionOutcome.Accepted, (await ExecuteAsync(first, firstConfirmation, CodeFor(first, "58021", 7_000, Now))).Outcome);
        var refused = await ExecuteAsync(second, secondConfirmation, CodeFor(second, "58021", 7_000, Now));

        Assert.Equal(ExecutionOutcome.BillNotPayable, refused.Outcome);
        Assert.Equal((100_000L, 1, 0), await StateAsync(secondAccount, second.Customer.UserId));
        // The refusal is the answer from then on.
        Assert.Equal(ExecutionOutcome.BillNotPayable, (await ExecuteAsync(second, secondConfirmation, "123456")).Outcome);
    }

    [Fact]
    public async Task Paid_cancelled_and_expired_bills_are_refused_at_lookup()
    {
        var (customer, _) = await PayerAsync(100_000);
        foreach (var (bill, expected) in new[]
                 {
                     (await _portal.CreateBillAsync(1_000, status: BillStatus.Paid), LookupOutcome.Paid),
                     (await _portal.CreateBillAsync(1_000, status: BillStatus.Cancelled), LookupOutcome.Cancelled),
                     (await _portal.CreateBillAsync(1_000, expiresAt: Now.AddSeconds(-1)), LookupOutcome.Expired),
                 })
        {
            var result = await Payments.LookUpBillAsync(CodeSession.Of(customer.Customer.UserId, Source), bill.InstitutionNumber, bill.CustomerNumber,
                bill.ConfirmationNumber, bill.PaymentCategory, Cancel);
            Assert.Equal(expected, result.Outcome);
        }
    }

    [Fact]
    public async Task The_daily_limit_holds_at_lookup_and_at_execution_and_opens_again_at_Japan_midnight()
    {
        var (customer, _) = await PayerAsync(500_000);
        var first = await ConfirmAsync(customer, await _portal.CreateBillAsync(60_000));
        var second = await ConfirmAsync(customer, await _portal.CreateBillAsync(50_000)); // each fits the 100,000 limit alone

        Assert.Equal(ExecutionOutcome.Accepted, (await ExecuteAsync(customer, first, CodeFor(customer, "58021", 60_000, Now))).Outcome);
        Assert.Equal(ExecutionOutcome.DailyLimit, (await ExecuteAsync(customer, second, CodeFor(customer, "58021", 50_000, Now))).Outcome);
        var third = await _portal.CreateBillAsync(50_000);
        var lookup = await Payments.LookUpBillAsync(CodeSession.Of(customer.Customer.UserId, Source), third.InstitutionNumber, third.CustomerNumber,
            third.ConfirmationNumber, null, Cancel);
        Assert.Equal(LookupOutcome.OverDailyLimit, lookup.Outcome);

        // 23:59:59 in Japan is still today; a second later is tomorrow.
        _clock.SetUtcNow(JapanTime.StartOf(Today.AddDays(1)).AddSeconds(-1));
        Assert.Equal(LookupOutcome.OverDailyLimit, (await Payments.LookUpBillAsync(CodeSession.Of(customer.Customer.UserId, Source), third.InstitutionNumber,
            third.CustomerNumber, third.ConfirmationNumber, null, Cancel)).Outcome);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var tomorrow = await ConfirmAsync(customer, third);
        Assert.Equal(ExecutionOutcome.Accepted, (await ExecuteAsync(customer, tomorrow, CodeFor(customer, "58021", 50_000, Now))).Outcome);
    }

    [Fact]
    public async Task Ten_wrong_bill_numbers_stop_pay_easy_until_the_end_of_the_Japan_day_and_staff_can_lift_it()
    {
        var (customer, _) = await PayerAsync(100_000);
        var userId = customer.Customer.UserId;
        var bill = await _portal.CreateBillAsync(1_000);
        Task<BillLookupResult> WrongAsync() => Payments.LookUpBillAsync(CodeSession.Of(userId, Source), "58021", "99999999", "9999", null, Cancel);

        for (var i = 1; i <= 9; i++)
        {
            var wrong = await WrongAsync();
            Assert.Equal((LookupOutcome.NotFound, 10 - i), (wrong.Outcome, wrong.FailuresLeft));
        }
        var tenth = await WrongAsync();
        Assert.Equal(LookupOutcome.Blocked, tenth.Outcome);
        Assert.Equal((PayEasyBlock.Stopped, JapanTime.StartOf(Today.AddDays(1))), (tenth.Access!.Block, tenth.Access.StoppedUntil));
        // Even the right numbers are refused now.
        Assert.Equal(LookupOutcome.Blocked, (await Payments.LookUpBillAsync(CodeSession.Of(userId, Source), bill.InstitutionNumber, bill.CustomerNumber,
            bill.ConfirmationNumber, null, Cancel)).Outcome);

        // Staff lift it with a reason; it is audited.
        var admin = _portal.Services.GetRequiredService<AdminPayEasy>();
        var staff = new AdminActor("staff-user-id", "admin01", Source);
        Assert.Equal(AdminActionOutcome.ReasonInvalid, await admin.LiftStopAsync(staff, userId, null, null, Cancel));
        Assert.Equal(AdminActionOutcome.ReasonInvalid, await admin.LiftStopAsync(staff, userId, AdminReasonCode.Other, " ", Cancel));
        Assert.Equal(AdminActionOutcome.OwnAccount, await admin.LiftStopAsync(staff with { UserId = userId }, userId, AdminReasonCode.CustomerRequest, null, Cancel));
        Assert.NotNull(await admin.GetStopAsync(userId, Cancel));
        Assert.Equal(AdminActionOutcome.Done, await admin.LiftStopAsync(staff, userId, AdminReasonCode.Other, "本人確認済み", Cancel));
        Assert.Null(await admin.GetStopAsync(userId, Cancel));
        Assert.Equal(LookupOutcome.Confirm, (await Payments.LookUpBillAsync(CodeSession.Of(userId, Source), bill.InstitutionNumber, bill.CustomerNumber,
            bill.ConfirmationNumber, null, Cancel)).Outcome);
        Assert.Equal(AdminActionOutcome.StateChanged, await admin.LiftStopAsync(staff, userId, AdminReasonCode.CustomerRequest, null, Cancel));
        await using var db = _portal.Database.CreateContext();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.UserId == userId && a.Event == AuditEvents.PayEasyStopped, Cancel));
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.UserId == userId && a.Event == AuditEvents.AdminLiftPayEasyStop
                                                             && a.Actor == "admin01" && a.Detail!.EndsWith(": 本人確認済み"), Cancel));
    }

    [Fact]
    public async Task A_stop_ends_at_Japan_midnight_a_found_bill_does_not_reset_the_count_bad_input_counts_nothing()
    {
        var (customer, _) = await PayerAsync(100_000);
        var userId = customer.Customer.UserId;
        var bill = await _portal.CreateBillAsync(1_000);
        for (var i = 0; i < 8; i++) await Payments.LookUpBillAsync(CodeSession.Of(userId, Source), "58021", "99999999", "9999", null, Cancel);
        // A payable bill is shown, but it ends no run: only a completed payment does.
        Assert.Equal(LookupOutcome.Confirm, (await Payments.LookUpBillAsync(CodeSession.Of(userId, Source), "58021", bill.CustomerNumber, "1234", null, Cancel)).Outcome);
        // Malformed input is answered beside the field and counts nothing.
        foreach (var bad in new[] { "", "１２３４", "12a4", "<script>", new string('1', 21) })
        {
            var invalid = await Payments.LookUpBillAsync(CodeSession.Of(userId, Source), "58021", bad, "1234", null, Cancel);
            Assert.Equal(LookupOutcome.Invalid, invalid.Outcome);
            Assert.NotEqual(PayEasyFieldError.None, invalid.Errors!.CustomerNumber);
        }
        Assert.Equal(PayEasyFieldError.TooLong,
            (await Payments.LookUpBillAsync(CodeSession.Of(userId, Source), "58021", "1", "1234567", null, Cancel)).Errors!.ConfirmationNumber);
        Assert.Equal((LookupOutcome.NotFound, 1),
            (await Payments.LookUpBillAsync(CodeSession.Of(userId, Source), "58021", "99999999", "9999", null, Cancel)) is var ninth ? (ninth.Outcome, ninth.FailuresLeft) : default);
        Assert.True((await Payments.CheckAccessAsync(CodeSession.Of(userId), Cancel)).Allowed);

        Assert.Equal(LookupOutcome.Blocked, (await Payments.LookUpBillAsync(CodeSession.Of(userId, Source), "58021", "99999999", "9999", null, Cancel)).Outcome);
        _clock.SetUtcNow(JapanTime.StartOf(Today.AddDays(1)).AddSeconds(-1));
        Assert.Equal(PayEasyBlock.Stopped, (await Payments.CheckAccessAsync(CodeSession.Of(userId), Cancel)).Block);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PayEasyBlock.None, (await Payments.CheckAccessAsync(CodeSession.Of(userId), Cancel)).Block);
    }

    [Fact]
    public async Task Nine_misses_and_a_paid_bill_are_ten_a_completed_payment_resets_and_yesterdays_misses_do_not_carry_over()
    {
        var (customer, _) = await PayerAsync(100_000);
        var userId = customer.Customer.UserId;
        var paidBill = await _portal.CreateBillAsync(1_000, status: BillStatus.Paid); // also lists the 収納機関
        Task<BillLookupResult> WrongAsync() => Payments.LookUpBillAsync(CodeSession.Of(userId, Source), "58021", "99999999", "9999", null, Cancel);
        Task<BillLookupResult> LookUpAsync(Bill b) =>
            Payments.LookUpBillAsync(CodeSession.Of(userId, Source), b.InstitutionNumber, b.CustomerNumber, b.ConfirmationNumber, b.PaymentCategory, Cancel);

        // Misses, then someone else's paid bill: the customer still sees why it cannot be paid, and it counts (the old
        // code reset the count here, so 9 misses, a paid bill, 9 misses... never stopped).
        for (var i = 0; i < 8; i++) await WrongAsync();
        var paid = await LookUpAsync(paidBill);
        Assert.Equal((LookupOutcome.Paid, 1), (paid.Outcome, paid.FailuresLeft));
        var stopped = await WrongAsync();
        Assert.Equal((LookupOutcome.Blocked, PayEasyBlock.Stopped), (stopped.Outcome, stopped.Access!.Block));

        // The next Japan day starts from nothing: nine misses late tonight and one after midnight do not stop.
        _clock.SetUtcNow(JapanTime.StartOf(Today.AddDays(2)).AddMinutes(-1));
        for (var i = 0; i < 9; i++) await WrongAsync();
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal((LookupOutcome.NotFound, 9), (await WrongAsync()) is var first ? (first.Outcome, first.FailuresLeft) : default);

        // A completed payment ends the run: eight more misses and a cancelled bill leave one try.
        for (var i = 0; i < 7; i++) await WrongAsync();
        var bill = await _portal.CreateBillAsync(2_000);
        var confirmation = await ConfirmAsync(customer, bill);
        Assert.Equal(ExecutionOutcome.Accepted, (await ExecuteAsync(customer, confirmation, CodeFor(customer, "58021", 2_000, Now))).Outcome);
        for (var i = 0; i < 8; i++) await WrongAsync();
        var cancelled = await LookUpAsync(await _portal.CreateBillAsync(1_000, status: BillStatus.Cancelled));
        Assert.Equal((LookupOutcome.Cancelled, 1), (cancelled.Outcome, cancelled.FailuresLeft));
        await using var db = _portal.Database.CreateContext();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.UserId == userId && a.Event == AuditEvents.PayEasyStopped, Cancel));
    }

    [Fact]
    public async Task Twenty_parallel_misses_are_all_counted_and_start_one_stop()
    {
        var (customer, _) = await PayerAsync(100_000);
        var userId = customer.Customer.UserId;
        await _portal.CreateBillAsync(1_000); // lists the 収納機関
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => Payments.LookUpBillAsync(CodeSession.Of(userId, Source), "58021", "99999999", "9999", null, Cancel))));
        Assert.Equal(PayEasyBlock.Stopped, (await Payments.CheckAccessAsync(CodeSession.Of(userId), Cancel)).Block);
        // Each of the first nine misses got its own count (none lost, none doubled); the rest were stopped.
        Assert.Equal(Enumerable.Range(1, 9), results.Where(r => r.Outcome == LookupOutcome.NotFound).Select(r => r.FailuresLeft).Order());
        Assert.Equal(11, results.Count(r => r.Outcome == LookupOutcome.Blocked));
        await using var db = _portal.Database.CreateContext();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.UserId == userId && a.Event == AuditEvents.PayEasyStopped, Cancel));
    }

    [Fact]
    public async Task A_customer_who_is_not_in_use_cannot_pay_and_is_told_why()
    {
        var customer = await _portal.CreateCustomerAsync();
        await _portal.CreateAccountAsync(customer.UserId, [At(Today.AddDays(-3), 9, "給与", 10_000)]);
        Assert.Equal(PayEasyBlock.NotInUse, (await Payments.CheckAccessAsync(CodeSession.Of(customer.UserId), Cancel)).Block);
        var bill = await _portal.CreateBillAsync(1_000);
        var lookup = await Payments.LookUpBillAsync(CodeSession.Of(customer.UserId, Source), bill.InstitutionNumber, bill.CustomerNumber, "1234", null, Cancel);
        Assert.Equal((LookupOutcome.Blocked, PayEasyBlock.NotInUse), (lookup.Outcome, lookup.Access!.Block));
        Assert.Equal(InstitutionOutcome.Blocked, (await Payments.FindInstitutionAsync(CodeSession.Of(customer.UserId), "58021", Cancel)).Outcome);
    }

    [Fact]
    public async Task A_database_failure_inside_the_payment_pays_nothing_answers_try_again_and_the_confirmation_stays_payable()
    {
        var (customer, accountId) = await PayerAsync(100_000);
        var bill = await _portal.CreateBillAsync(4_000);
        var confirmation = await ConfirmAsync(customer, bill);
        await FailBillUpdatesAsync(true);
        ExecutionResult failed;
        try
        {
            failed = await ExecuteAsync(customer, confirmation, CodeFor(customer, "58021", 4_000, Now));
        }
        finally { await FailBillUpdatesAsync(false); }

        Assert.Equal(ExecutionOutcome.Unavailable, failed.Outcome);
        Assert.Equal((100_000L, 1, 0), await StateAsync(accountId, customer.Customer.UserId));
        Assert.Equal(BillStatus.Unpaid, await BillStatusAsync(bill.Id));
        Assert.Contains(_portal.Logs.Lines, l => l.EventId.Id == Portal.LogEvents.DatabaseUnavailable);

        // The same 実行 again, with the same code, pays it at once: the hold was released (not left for the lease), and the
        // code's claim names this payment, so it is not a replay.
        var paid = await ExecuteAsync(customer, confirmation, CodeFor(customer, "58021", 4_000, Now));
        Assert.Equal(ExecutionOutcome.Accepted, paid.Outcome);
        Assert.Equal(96_000, (await StateAsync(accountId, customer.Customer.UserId)).Balance);
        Assert.Equal(0, (await _portal.FindUserAsync(customer.Customer.UserId)).AccessFailedCount);
    }

    /// <summary>Makes every UPDATE of a bill fail with a database error, as an outage in the middle of the payment would.</summary>
    private async Task FailBillUpdatesAsync(bool fail)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_portal.Database.ConnectionString);
        await connection.OpenAsync(Cancel);
        var sql = fail
            ? """
              CREATE OR REPLACE FUNCTION test_fail_bill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated outage'; END $$;
              CREATE TRIGGER test_fail_bill BEFORE UPDATE ON "Bills" FOR EACH ROW EXECUTE FUNCTION test_fail_bill();
              """
            : """DROP TRIGGER test_fail_bill ON "Bills";""";
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
