using System.Net;
using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;
using Orlog.Silo.ClusterDb;

namespace Orlog.Silo.Web;

/// <summary>
/// Checks <see cref="WebOptions"/> at start; each failure names the setting. A web surface bound beyond loopback
/// without credentials is refused unless <see cref="WebOptions.WebInsecure"/> says so.
/// </summary>
public sealed class WebOptionsValidator(IOptions<ClusterDbOptions> clusterDb) : IValidateOptions<WebOptions>
{
    private const string Section = BrokerOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!options.TryGetWebPort(ClusterDbOptions.IsClusterMode(clusterDb.Value), out var port))
        {
            failures.Add($"{Section}:WebPort='{options.WebPort}' is not a port: give a number between 1 and 65535, 0 for a free port, or off.");
        }
        var address = options.Address;
        if (address is null)
        {
            failures.Add($"{Section}:WebAddress='{options.WebAddress}' is not an IP address (or localhost); use 127.0.0.1 for this host only.");
        }
        if (!string.IsNullOrEmpty(options.WebUser) != !string.IsNullOrEmpty(options.WebPassword))
        {
            failures.Add($"{Section}:WebUser and {Section}:WebPassword go together: set both for basic authentication, or neither.");
        }
        if (port is not null && address is not null && !IPAddress.IsLoopback(address) && !options.HasCredentials && !options.WebInsecure)
        {
            failures.Add($"{Section}:WebAddress={options.WebAddress} serves the web surface beyond this host, and no credentials are set: set {Section}:WebToken "
                + $"(a bearer token) or {Section}:WebUser and {Section}:WebPassword (basic authentication), or pass --web-insecure to serve it without credentials.");
        }
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            && (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var otlp) || otlp.Scheme is not ("http" or "https")))
        {
            failures.Add($"{Section}:OtlpEndpoint='{options.OtlpEndpoint}' is not an http:// or https:// address of an OTLP collector.");
        }
        if (options.WebSampleIntervalMs is < 500 or > 60_000)
        {
            failures.Add($"{Section}:WebSampleIntervalMs={options.WebSampleIntervalMs} is out of range: between 500 and 60000 milliseconds.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
