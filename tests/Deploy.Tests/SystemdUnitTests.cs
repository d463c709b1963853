using System.Diagnostics;
using Orlog.Silo;

namespace Orlog.Deploy.Tests;

/// <summary>deploy/systemd: the unit template and the example environment file.</summary>
public sealed class SystemdUnitTests
{
    private readonly SystemdUnit _unit = SystemdUnit.Load(DeployFiles.SystemdUnit);

    [Fact]
    public void ExecStart_runs_the_published_Orlog_Silo_dll_as_the_broker_named_by_the_instance_in_the_state_directory()
    {
        var broker2 = _unit.ForInstance("2");
        var exec = SystemdUnit.SplitCommandLine(broker2.Single("Service", "ExecStart"));

        Assert.Equal("dotnet", Path.GetFileName(exec[0]));
        Assert.True(Path.IsPathRooted(exec[0]), "systemd runs an absolute path");
        // Where docs/deploy.md publishes it: dotnet publish -c Release src/Silo -o /opt/orlog.
        Assert.Equal("/opt/orlog/Orlog.Silo.dll", exec[1]);
        var settings = OrlogSettings.From([], exec[2..]);
        Assert.Equal("2", settings["Orlog:BrokerId"]);
        // ProtectSystem=strict leaves only the state directory writable: the data directory must be it.
        Assert.Equal("strict", broker2.Single("Service", "ProtectSystem"));
        Assert.Equal("/var/lib/" + broker2.Single("Service", "StateDirectory"), settings["Orlog:DataDirectory"]);
        Assert.Equal("/etc/orlog/orlog-broker-2.env", broker2.Single("Service", "EnvironmentFile"));
        Assert.Equal("orlog-broker-1.env", Path.GetFileName(_unit.ForInstance("1").Single("Service", "EnvironmentFile")));
    }

    [Fact]
    public void The_stop_is_SIGTERM_with_more_time_than_the_silo_shutdown_timeout_and_failures_restart_but_bad_settings_do_not()
    {
        Assert.Equal("SIGTERM", _unit.Optional("Service", "KillSignal") ?? "SIGTERM");
        var timeout = SystemdUnit.ParseTimeSpan(_unit.Single("Service", "TimeoutStopSec"));
        Assert.True(timeout > OrlogSilo.ShutdownTimeout, $"TimeoutStopSec {timeout} is not longer than the silo's shutdown timeout {OrlogSilo.ShutdownTimeout}");
        Assert.Equal("on-failure", _unit.Single("Service", "Restart"));
        // Exit code 2 is a bad setting (StartupFailure.BadSetting): it would fail the same way again.
        Assert.Contains(StartupFailure.BadSetting.ToString(System.Globalization.CultureInfo.InvariantCulture), _unit.Single("Service", "RestartPreventExitStatus").Split(' '));
    }

    [Fact]
    public void It_runs_as_a_dedicated_user_with_hardening_that_leaves_what_the_silo_needs()
    {
        var user = _unit.Single("Service", "User");
        Assert.DoesNotContain(user, new[] { "root", "0" });
        Assert.Contains($"u {user} ", File.ReadAllText(Path.Combine(DeployFiles.Deploy, "systemd", "orlog.sysusers.conf")), StringComparison.Ordinal);
        Assert.Equal("yes", _unit.Single("Service", "NoNewPrivileges"));
        // .NET's JIT writes executable memory; the runtime reads /proc/meminfo; Orleans lists interfaces over netlink.
        Assert.NotEqual("yes", _unit.Optional("Service", "MemoryDenyWriteExecute"));
        Assert.Null(_unit.Optional("Service", "ProcSubset"));
        var families = _unit.Single("Service", "RestrictAddressFamilies").Split(' ');
        Assert.Subset(families.ToHashSet(), new HashSet<string> { "AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK" });
    }

    [Fact]
    public void Every_line_of_the_example_environment_file_is_a_setting_the_silo_accepts_commented_out_ones_too()
    {
        var file = EnvironmentFile.Load(DeployFiles.SystemdEnvironmentFile);
        var exec = SystemdUnit.SplitCommandLine(_unit.ForInstance("1").Single("Service", "ExecStart"));

        SiloSettingsCheck.AssertAccepted(OrlogSettings.From(file.Settings, exec[2..]), "the example's settings");
        SiloSettingsCheck.AssertAccepted(OrlogSettings.From([.. file.Settings, .. file.CommentedOut], exec[2..]), "the example's settings with the commented-out ones");
        Assert.Contains(file.CommentedOut, setting => setting.Key.StartsWith("Orlog__Membership__", StringComparison.Ordinal));
        // The unit gives these from its instance name; in the file they would be overridden, and mislead.
        Assert.DoesNotContain(file.Settings, setting => setting.Key is "Orlog__BrokerId" or "Orlog__DataDirectory");
    }

    [Fact]
    public async Task Systemd_itself_finds_nothing_wrong_in_the_unit()
    {
        // systemd-analyze verify reads the unit as systemd would, offline: an unknown key, a bad value or a
        // missing executable is reported. The dotnet host's path is this machine's; the rest is the file as it is.
        var directory = Directory.CreateTempSubdirectory("orlog-deploy-systemd-");
        try
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "/usr/bin/dotnet";
            var text = File.ReadAllText(DeployFiles.SystemdUnit).Replace("ExecStart=/usr/bin/dotnet ", $"ExecStart={dotnet} ", StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "orlog-broker@.service"), text);
            File.CreateSymbolicLink(Path.Combine(directory.FullName, "orlog-broker@1.service"), "orlog-broker@.service");

            var verify = new ProcessStartInfo("systemd-analyze", ["verify", "./orlog-broker@1.service"])
            {
                WorkingDirectory = directory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Start(verify);
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(deadline.Token);

            Assert.Equal("", (await output + await error).Trim());
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{start.FileName} could not be run ({e.Message}): it comes with Debian's systemd package (apt-get install systemd).");
        }
    }
}
