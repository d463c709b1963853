using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orlog.Grains.Hosting;
using Orlog.Grains.Logs;

namespace Orlog.Grains.Cluster;

/// <summary>
/// Makes this silo a broker of the cluster once it is active: refuses to run beside a live silo with the
/// same broker id, registers the broker's id, rack and endpoints with the controller, loads the metadata
/// into this silo's <see cref="MetadataCache"/> (removing logs of topics deleted while it was away), and
/// from then on tells the controller whenever Orleans' membership changes, so that it moves leaders off
/// dead brokers and back.
/// </summary>
internal sealed partial class BrokerRegistrationService : ILifecycleParticipant<ISiloLifecycle>
{
    // How long a starting broker keeps trying to reach the controller (its grain may be activating, its
    // state loading from the database) before the silo gives up starting.
    private static readonly TimeSpan _registerTimeout = TimeSpan.FromSeconds(60);

    // How long one controlled-shutdown call may take (the controller commits to its storage, then pushes).
    private static readonly TimeSpan _shutdownCallTimeout = TimeSpan.FromSeconds(10);

    // How long a silo that holds this broker's id has to say it is alive.
    private static readonly TimeSpan _holderProbeTimeout = TimeSpan.FromSeconds(3);

    private readonly IGrainFactory _grains;
    private readonly BrokerSilos _silos;
    private readonly ILocalSiloDetails _silo;
    private readonly MetadataCache _cache;
    private readonly LogManager _logs;
    private readonly BrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BrokerEndpoints _endpoints;
    private readonly CancellationTokenSource _stop = new();
    private Task _watch = Task.CompletedTask;

    public BrokerRegistrationService(IGrainFactory grains, BrokerSilos silos, ILocalSiloDetails silo, MetadataCache cache, LogManager logs,
        IOptions<BrokerOptions> options, TimeProvider time, ILogger<BrokerRegistrationService> logger, BrokerEndpoints endpoints)
    {
        _endpoints = endpoints;
        _grains = grains;
        _silos = silos;
        _silo = silo;
        _cache = cache;
        _logs = logs;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(BrokerRegistrationService), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private async Task OnStartAsync(CancellationToken cancellationToken)
    {
        var brokerId = _options.BrokerId;
        var registration = new BrokerRegistration(brokerId, _options.ClusterId, _silo.SiloAddress.ToParsableString(),
            Endpoint(_silo.GatewayAddress), _options.Rack, _endpoints.Kafka, _endpoints.Web);
        var result = await RegisterAsync(registration, cancellationToken);
        if (result.Error != ErrorCode.None)
        {
            throw new BrokerRegistrationException($"broker {brokerId} was refused by the controller: {result.Error.KafkaName()}: {result.ErrorMessage}");
        }
        if (result.Metadata is { } metadata)
        {
            await _cache.ApplyAsync(metadata);
            await Task.Run(() => _logs.DeleteStrays(_cache.Current), cancellationToken);
        }
        LogRegistered(_logger, brokerId, registration.SiloAddress, _cache.Version);
        _watch = Task.Run(WatchMembershipAsync, CancellationToken.None);
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await ShutDownControlledAsync(cancellationToken);
        await _stop.CancelAsync();
        await _watch.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>
    /// Kafka's controlled shutdown: before the silo stops, leadership of this broker's partitions moves to other
    /// in-sync replicas and the broker leaves every ISR, so that producers and consumers move to the new
    /// leaders on a retriable error instead of waiting for membership to declare this silo dead. A partition
    /// with no other in-sync replica keeps this broker as leader until it stops. Tried again only when the
    /// controller could not be reached; the stop goes on regardless.
    /// </summary>
    private async Task ShutDownControlledAsync(CancellationToken cancellationToken)
    {
        var brokerId = _options.BrokerId;
        for (var attempt = 1; attempt <= 3 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                var result = await _grains.GetGrain<IControllerGrain>(0).ControlledShutdown(brokerId).WaitAsync(_shutdownCallTimeout, cancellationToken);
                if (result.Error == ErrorCode.None)
                {
                    // The controller pushed the new leaders before answering; make sure this silo has them.
                    await _cache.CatchUpAsync();
                    LogControlledShutdown(_logger, brokerId, result.PartitionsRemaining);
                    return;
                }
                LogControlledShutdownFailed(_logger, brokerId, attempt, $"{result.Error.KafkaName()}: {result.ErrorMessage}");
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogControlledShutdownFailed(_logger, brokerId, attempt, error.Message);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Registers with the controller, trying again while it cannot be reached. When another silo holds the id,
    /// that silo is asked who it is: if it answers, the id is taken by a live broker and the start fails at
    /// once; if it does not, it is most likely this broker's previous run (killed and restarted before
    /// membership declared it dead), and registration waits for membership to do so.
    /// </summary>
    private async Task<BrokerRegistrationResult> RegisterAsync(BrokerRegistration registration, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            BrokerRegistrationResult? result = null;
            string? reason;
            try
            {
                result = await _grains.GetGrain<IControllerGrain>(0).RegisterBroker(registration);
                // NOT_CONTROLLER: a second activation of the controller (Orleans' directory settles while silos
                // join) lost its write; the next call reaches the one that holds the state.
                var retriable = result.Error == ErrorCode.NotController
                    || (result.Error == ErrorCode.DuplicateBrokerRegistration && await HolderIsGoneAsync(registration.BrokerId));
                if (!retriable)
                {
                    return result;
                }
                reason = result.ErrorMessage ?? (result.Error == ErrorCode.NotController ? "the controller moved" : "its id is held by another silo");
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                reason = error.Message;
            }
            if (_time.GetElapsedTime(started) >= _registerTimeout)
            {
                return result ?? throw new BrokerRegistrationException($"broker {registration.BrokerId} could not register with the controller within {_registerTimeout.TotalSeconds:0} s: {reason}");
            }
            LogRegisterRetry(_logger, registration.BrokerId, reason);
            await Task.Delay(delay, _time, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    // The broker grain of the id lives on the silo that holds it: a live one answers at once.
    private async Task<bool> HolderIsGoneAsync(int brokerId)
    {
        try
        {
            var holder = await _grains.GetGrain<IBrokerGrain>(brokerId).SiloAddress().WaitAsync(_holderProbeTimeout);
            return holder == _silo.SiloAddress.ToParsableString();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return true;
        }
    }

    // Every silo tells the controller: whichever silo survives a failure, the controller hears of it.
    private async Task WatchMembershipAsync()
    {
        try
        {
            var seen = _silos.Membership.CurrentSnapshot.Version;
            await foreach (var update in _silos.Membership.MembershipUpdates.WithCancellation(_stop.Token))
            {
                if (update.Version <= seen)
                {
                    continue;
                }
                seen = update.Version;
                try
                {
                    await _grains.GetGrain<IControllerGrain>(0).MembershipChanged();
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    LogTellFailed(_logger, error.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string? Endpoint(SiloAddress? address) =>
        address is null ? null : string.Create(CultureInfo.InvariantCulture, $"{address.Endpoint.Address}:{address.Endpoint.Port}");

    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Broker {BrokerId} registered with the controller (silo {Silo}); metadata version {Version}")]
    private static partial void LogRegistered(ILogger logger, int brokerId, string silo, long version);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Broker {BrokerId} could not reach the controller yet ({Reason}); trying again")]
    private static partial void LogRegisterRetry(ILogger logger, int brokerId, string reason);

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Broker {BrokerId} shut down in a controlled way: leadership moved off it; {Remaining} partitions had no other in-sync replica to lead them")]
    private static partial void LogControlledShutdown(ILogger logger, int brokerId, int remaining);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Broker {BrokerId}: controlled shutdown attempt {Attempt} failed ({Reason})")]
    private static partial void LogControlledShutdownFailed(ILogger logger, int brokerId, int attempt, string reason);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Telling the controller of a membership change failed ({Reason}); another silo or the next change will")]
    private static partial void LogTellFailed(ILogger logger, string reason);
}
