using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;

namespace Orlog.Grains.Storage;

/// <summary>
/// Opens the broker's data directory at the very first stage of the silo's start, before the silo binds
/// its ports or runs a grain, and releases it at the very last stage of its stop.
/// </summary>
internal sealed partial class BrokerDataDirectoryLifecycle(IOptions<BrokerOptions> options, ILogger<BrokerDataDirectoryLifecycle> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private BrokerDataDirectory? _directory;

    /// <summary>The open directory, once the silo has started.</summary>
    public BrokerDataDirectory? Directory => _directory;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BrokerDataDirectoryLifecycle), ServiceLifecycleStage.First, OnStart, OnStop);

    public void Dispose() => Interlocked.Exchange(ref _directory, null)?.Dispose();

    private Task OnStart(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var directory = BrokerDataDirectory.Open(settings.DataDirectory, settings.BrokerId, settings.ClusterId);
        _directory = directory;
        LogOpened(logger, directory.Path, directory.BrokerId, directory.ClusterId, directory.IsNew);
        return Task.CompletedTask;
    }

    private Task OnStop(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _directory, null) is { } directory)
        {
            directory.Dispose();
            LogReleased(logger, directory.Path);
        }
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data directory {DataDirectory} opened for broker {BrokerId} of cluster {ClusterId} (first start: {IsNew})")]
    private static partial void LogOpened(ILogger logger, string dataDirectory, int brokerId, string clusterId, bool isNew);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data directory {DataDirectory} released")]
    private static partial void LogReleased(ILogger logger, string dataDirectory);
}
