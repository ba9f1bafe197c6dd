using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PayEasy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_UsedOtpSteps",
                table: "UsedOtpSteps");

            // Every step claimed before this migration was a sign-in code.
            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "UsedOtpSteps",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Login");

            migrationBuilder.AddColumn<string>(
                name: "Challenge",
                table: "UsedOtpSteps",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<Guid>(
                name: "PaymentId",
                table: "UsedOtpSteps",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_UsedOtpSteps",
                table: "UsedOtpSteps",
                columns: new[] { "TokenIssueId", "Kind", "Challenge", "Step" });

            migrationBuilder.CreateTable(
                name: "CollectingInstitutions",
                columns: table => new
                {
                    Number = table.Column<string>(type: "TEXT", maxLength: 5, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    IsPublicBody = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CollectingInstitutions", x => x.Number);
                });

            migrationBuilder.CreateTable(
                name: "PayEasyStops",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ConsecutiveFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    StoppedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PayEasyStops", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_PayEasyStops_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Payments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AccountId = table.Column<long>(type: "INTEGER", nullable: false),
                    BillReference = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    InstitutionNumber = table.Column<string>(type: "TEXT", maxLength: 5, nullable: false),
                    InstitutionName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    IsPublicBody = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChargeName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    PayerName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    MaskedCustomerNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Fee = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Refusal = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessingSince = table.Column<long>(type: "INTEGER", nullable: true),
                    HoldId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReceiptNumber = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    LedgerEntryId = table.Column<long>(type: "INTEGER", nullable: true),
                    BalanceAfter = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Payments", x => x.Id);
                    table.CheckConstraint("CK_Payments_Amount_Positive", "\"Amount\" > 0 AND \"Fee\" >= 0");
                    table.ForeignKey(
                        name: "FK_Payments_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Payments_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Bills",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstitutionNumber = table.Column<string>(type: "TEXT", maxLength: 5, nullable: false),
                    CustomerNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ConfirmationNumber = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    PaymentCategory = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    ChargeName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    PayerName = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Fee = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    PaidAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReceiptNumber = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bills", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Bills_CollectingInstitutions_InstitutionNumber",
                        column: x => x.InstitutionNumber,
                        principalTable: "CollectingInstitutions",
                        principalColumn: "Number",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Bills_InstitutionNumber_CustomerNumber",
                table: "Bills",
                columns: new[] { "InstitutionNumber", "CustomerNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Payments_AccountId",
                table: "Payments",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_ReceiptNumber",
                table: "Payments",
                column: "ReceiptNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Payments_UserId_Status_AcceptedAt",
                table: "Payments",
                columns: new[] { "UserId", "Status", "AcceptedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Bills");

            migrationBuilder.DropTable(
                name: "PayEasyStops");

            migrationBuilder.DropTable(
                name: "Payments");

            migrationBuilder.DropTable(
                name: "CollectingInstitutions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_UsedOtpSteps",
                table: "UsedOtpSteps");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "UsedOtpSteps");

            migrationBuilder.DropColumn(
                name: "Challenge",
                table: "UsedOtpSteps");

            migrationBuilder.DropColumn(
                name: "PaymentId",
                table: "UsedOtpSteps");

            migrationBuilder.AddPrimaryKey(
                name: "PK_UsedOtpSteps",
                table: "UsedOtpSteps",
                columns: new[] { "TokenIssueId", "Step" });
        }
    }
}
