using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Support;

/// <summary>
/// Self-signed certificates made at test time: a PKCS#12 file, what an operator gives the portal to encrypt its Data
/// Protection keys (DataProtection:CertificatePath), and PEM files for the smoke test's TLS-terminating proxy.
/// </summary>
public static class TestCertificate
{
    public const string Password = "test-only";

    private static readonly Lazy<string> File = new(() =>
    {
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(rsa, "localhost");
        var path = Path.Combine(Path.GetTempPath(), $"kitashin-test-{Environment.ProcessId}.pfx");
        WritePrivate(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    });

    /// <summary>The PKCS#12 file; made once per test run.</summary>
    public static string PfxPath => File.Value;

    /// <summary>A TLS certificate for that host name and its key, as the PEM files nginx reads, in that folder.</summary>
    public static (string Certificate, string Key) WriteTlsPem(string hostName, string folder)
    {
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(rsa, hostName);
        var (certificatePath, keyPath) = (Path.Combine(folder, "tls.crt"), Path.Combine(folder, "tls.key"));
        System.IO.File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        WritePrivate(keyPath, System.Text.Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));
        return (certificatePath, keyPath);
    }

    /// <summary>A private key or PKCS#12 file, created readable by its owner only (0600), as the deploy script writes them.</summary>
    private static void WritePrivate(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(content);
    }

    private static X509Certificate2 SelfSigned(RSA rsa, string hostName)
    {
        var request = new CertificateRequest($"CN={hostName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
