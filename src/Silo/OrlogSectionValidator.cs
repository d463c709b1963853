using System.Reflection;
using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;
using Orlog.Silo.ClusterDb;

namespace Orlog.Silo;

/// <summary>
/// Refuses a key in the "Orlog" section that no options class binds (a misspelt <c>Orlog__DataDir</c> would
/// otherwise be ignored silently). Broker defaults under Orlog:Defaults are checked by <see cref="BrokerOptionsValidator"/>.
/// </summary>
public sealed class OrlogSectionValidator(IConfiguration configuration) : IValidateOptions<SiloEndpointOptions>
{
    private static readonly string[] _knownKeys =
    [
        .. typeof(BrokerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name),
        .. typeof(SiloEndpointOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name),
        .. typeof(ClusterDbOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name),
        .. typeof(Web.WebOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanWrite).Select(property => property.Name),
    ];

    private static readonly string[] _membershipKeys =
        [.. typeof(MembershipTimingOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(property => property.Name)];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloEndpointOptions options)
    {
        var failures = new List<string>();
        foreach (var child in configuration.GetSection(BrokerOptions.SectionName).GetChildren())
        {
            if (!_knownKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{child.Path} is not a setting Orlog knows. Known: {string.Join(", ", _knownKeys.Select(key => $"{BrokerOptions.SectionName}:{key}"))}.");
            }
        }
        var membership = configuration.GetSection($"{BrokerOptions.SectionName}:{nameof(ClusterDbOptions.Membership)}");
        foreach (var child in membership.GetChildren())
        {
            if (!_membershipKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{child.Path} is not a setting Orlog knows. Known: {string.Join(", ", _membershipKeys.Select(key => $"{membership.Path}:{key}"))}.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
