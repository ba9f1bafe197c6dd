using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdminListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_TokenIssues_IssuedAt",
                table: "TokenIssues",
                column: "IssuedAt");

            migrationBuilder.CreateIndex(
                name: "IX_OtpRegistrations_CurrentIssueId",
                table: "OtpRegistrations",
                column: "CurrentIssueId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_AccessFailedCount_NormalizedUserName",
                table: "AspNetUsers",
                columns: new[] { "AccessFailedCount", "NormalizedUserName" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TokenIssues_IssuedAt",
                table: "TokenIssues");

            migrationBuilder.DropIndex(
                name: "IX_OtpRegistrations_CurrentIssueId",
                table: "OtpRegistrations");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_AccessFailedCount_NormalizedUserName",
                table: "AspNetUsers");
        }
    }
}
