using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orlog.Silo;

namespace Orlog.Deploy.Tests;

/// <summary>
/// What the silo would say about a set of settings at start, without starting it: its host built as
/// Orlog.Silo builds it, then every options validator run, as the silo does before it takes its ports.
/// </summary>
internal static class SiloSettingsCheck
{
    /// <summary>Fails the test, naming every problem, unless the silo would accept all of <paramref name="settings"/>.</summary>
    public static void AssertAccepted(OrlogSettings settings, string what)
    {
        var problems = Problems(settings);
        Assert.True(problems.Count == 0, $"{what}: the silo refuses {string.Join("; ", problems)}");
    }

    /// <summary>The problems found, each naming the setting; empty when the silo would accept every one.</summary>
    public static IReadOnlyList<string> Problems(OrlogSettings settings)
    {
        var commandLine = SiloCommandLine.Parse(settings.AsCommandLine());
        if (commandLine.Error is not null)
        {
            return [commandLine.Error];
        }
        try
        {
            using var host = OrlogSilo.CreateBuilder(commandLine.ConfigurationArgs).Build();
            host.Services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e)
        {
            return [.. e.InnerExceptions.SelectMany(inner => inner is OptionsValidationException invalid ? invalid.Failures : [inner.Message])];
        }
        catch (InvalidOperationException e)
        {
            // A value that does not convert ("abc" for a port) fails the binding.
            return [e.Message];
        }
    }
}
