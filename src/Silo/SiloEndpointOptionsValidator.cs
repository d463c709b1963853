using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;

namespace Orlog.Silo;

/// <summary>Checks <see cref="SiloEndpointOptions"/> at start; each failure names the setting and its value.</summary>
public sealed class SiloEndpointOptionsValidator : IValidateOptions<SiloEndpointOptions>
{
    private const string Section = BrokerOptions.SectionName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckPort(failures, nameof(SiloEndpointOptions.SiloPort), options.SiloPort);
        CheckPort(failures, nameof(SiloEndpointOptions.GatewayPort), options.GatewayPort);
        if (options.SiloPort == options.GatewayPort && options.SiloPort != 0)
        {
            failures.Add($"{Section}:SiloPort and {Section}:GatewayPort are both {options.SiloPort}: they must differ.");
        }
        if (SiloEndpointOptions.ParseAddress(options.ListenAddress) is null)
        {
            failures.Add($"{Section}:ListenAddress='{options.ListenAddress}' is not an IP address (or localhost); use 127.0.0.1 for this host only, 0.0.0.0 for every interface.");
        }
        if (!string.IsNullOrWhiteSpace(options.AdvertisedAddress))
        {
            var advertised = SiloEndpointOptions.ParseAddress(options.AdvertisedAddress);
            if (advertised is null || SiloEndpointOptions.IsAnyAddress(advertised))
            {
                failures.Add($"{Section}:AdvertisedAddress='{options.AdvertisedAddress}' is not an address others can reach this silo at: give one IP address of this host.");
            }
        }
        if (!options.TryGetKafkaPort(clusterMode: false, out _))
        {
            failures.Add($"{Section}:KafkaPort='{options.KafkaPort}' is not a port: give a number between 1 and 65535, 0 for a free port, or off.");
        }
        if (!string.IsNullOrWhiteSpace(options.KafkaAddress) && SiloEndpointOptions.ParseAddress(options.KafkaAddress) is null)
        {
            failures.Add($"{Section}:KafkaAddress='{options.KafkaAddress}' is not an IP address (or localhost).");
        }
        if (!options.TryGetAdvertisedListener(out _))
        {
            failures.Add($"{Section}:AdvertisedListeners='{options.AdvertisedListeners}' is not one listener: give PLAINTEXT://host:port or host:port "
                + "(one listener; SSL and SASL listeners do not exist yet; a host clients can reach, not 0.0.0.0).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPort(List<string> failures, string setting, int port)
    {
        if (port is < 0 or > 65535)
        {
            failures.Add($"{Section}:{setting}={port} is out of range: a port is between 1 and 65535, or 0 for a free port.");
        }
    }
}
