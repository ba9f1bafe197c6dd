using System.Diagnostics;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Tests.Production;

/// <summary>
/// Production as shipped has no default secrets (SPEC section 7). No Docker engine runs where the tests run, so
/// compose.yaml is read: `docker compose config` would refuse it without the variables because each is ${VAR:?}.
/// </summary>
public partial class ShippedSecretsTests
{
    private static readonly string Root = ChildProcess.RepositoryRoot();
    private static string Read(string path) => File.ReadAllText(Path.Combine(Root, path));

    [GeneratedRegex(@"\$\{(POSTGRES_PASSWORD|DATAPROTECTION_CERTIFICATE_PASSWORD)(?<operator>:?[-?=+]?)[^}]*\}")]
    private static partial Regex SecretVariable();

    [Theory]
    [InlineData("POSTGRES_PASSWORD", 2)]                 // the portal's connection string and the database's own
    [InlineData("DATAPROTECTION_CERTIFICATE_PASSWORD", 1)]
    public void Compose_refuses_to_start_without_the_database_and_certificate_passwords(string variable, int uses)
    {
        var compose = Read("compose.yaml");
        var found = SecretVariable().Matches(compose).Where(m => m.Groups[1].Value == variable).ToList();
        Assert.Equal(uses, found.Count);
        Assert.All(found, m => Assert.Equal(":?", m.Groups["operator"].Value));
        Assert.DoesNotContain("POSTGRES_PASSWORD: kitashin", compose);
    }

    [Fact]
    public void MailDev_runs_only_in_the_dev_profile_and_is_published_on_loopback_only()
    {
        var compose = Read("compose.yaml");
        var maildev = Regex.Match(compose, @"\n  maildev:\n(?<body>(    .*\n|\s*\n)+)").Groups["body"].Value;
        Assert.NotEmpty(maildev);
        Assert.Matches(@"profiles:\s*\[\s*dev\s*\]", maildev);
        var published = Regex.Matches(maildev, @"- ""(?<port>[^""]+)""").Select(m => m.Groups["port"].Value).ToList();
        Assert.NotEmpty(published);
        Assert.All(published, port => Assert.StartsWith("127.0.0.1:", port));
        // The portal does not need it to start (production mails through the bank's relay).
        Assert.Matches(@"maildev:\s*\n\s*condition: service_started\s*\n\s*required: false", compose);
    }

    [Theory]
    [InlineData("compose.yaml")]
    [InlineData("Dockerfile")]
    [InlineData("Portal/appsettings.json")]
    [InlineData("Portal/appsettings.Development.json")]
    [InlineData("deploy/make-certificates.sh")]
    public void No_default_password_is_shipped(string path)
    {
        var text = Read(path);
        Assert.DoesNotContain("change-me", text);
        Assert.DoesNotMatch(@"(?i)password\s*[=:]\s*""?kitashin", text);
        Assert.DoesNotMatch(@"(?i)PASSWORD:-", text); // no ${..._PASSWORD:-default}
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_certificate_script_writes_private_keys_0600_and_wants_its_password()
    {
        if (OperatingSystem.IsWindows() || !Exists("openssl")) Assert.Skip("needs bash and openssl");
        var folder = Directory.CreateTempSubdirectory("kitashin-certs-").FullName;
        try
        {
            var secrets = Path.Combine(folder, "secrets");
            Assert.NotEqual(0, Run(secrets, password: null).ExitCode);
            Assert.False(File.Exists(Path.Combine(secrets, "dataprotection.pfx")));

            var run = Run(secrets, password: "only-for-this-test");
            Assert.True(run.ExitCode == 0, run.Output);
            foreach (var file in new[] { "tls.key", "dataprotection.pfx" })
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(secrets, file)));
            Assert.False(File.Exists(Path.Combine(secrets, "dataprotection.key")), "the PKCS#12 file's key is not left behind");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int ExitCode, string Output) Run(string secrets, string? password)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(Root, "deploy", "make-certificates.sh"), "portal.kitashin.test"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["KITASHIN_SECRETS_DIR"] = secrets;
        start.Environment.Remove("DATAPROTECTION_CERTIFICATE_PASSWORD");
        if (password is not null) start.Environment["DATAPROTECTION_CERTIFICATE_PASSWORD"] = password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }

    private static bool Exists(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, command)));
}
