using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orlog.Grains;

namespace Orlog.Client;

/// <summary>
/// Keeps <see cref="ClusterGatewayList"/> on the brokers that are alive. Every orleans.gateway.list.refresh.ms it
/// asks the gateway directory once per known gateway at the same time, each call to a new grain id (the client
/// spreads new ids over its gateways round robin, and a stateless worker answers on the silo the call reached),
/// waits at most one interval, and believes the answer with the newest membership: a gateway that is paused or
/// cut off answers nothing or an old view, and the others' answers, once Orleans has declared its silo dead,
/// leave it out.
/// </summary>
internal sealed partial class GatewayFollower(IGrainFactory grains, ClusterGatewayList list, TimeSpan interval, ILogger<GatewayFollower> logger) : BackgroundService
{
    private string[] _applied = [];

    /// <summary>The answer to believe: the newest membership that names at least one gateway; null when none does.</summary>
    public static LiveGateways? Newest(IEnumerable<LiveGateways> answers) =>
        answers.Where(a => a.Gateways.Count > 0).MaxBy(a => a.MembershipVersion);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(logger, error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var asks = Math.Max(2, list.Count);
        // A new grain id each call: the client sends all calls to one grain id through one gateway (chosen when
        // first used), so reusing ids would keep asking the gateway they were first sent to.
        var calls = Enumerable.Range(0, asks)
            .Select(_ => grains.GetGrain<IGatewayDirectoryGrain>(Random.Shared.NextInt64()).LiveGateways().WaitAsync(interval, cancellationToken))
            .ToList();
        try
        {
            await Task.WhenAll(calls).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A gateway that did not answer in time is the case this class exists for; the others' answers count.
        }
        if (Newest(calls.Where(c => c.IsCompletedSuccessfully).Select(c => c.Result)) is not { } newest
            || newest.Gateways.Order(StringComparer.Ordinal).SequenceEqual(_applied))
        {
            return;
        }
        var endpoints = new List<IPEndPoint>();
        foreach (var gateway in newest.Gateways)
        {
            try
            {
                endpoints.AddRange(await BootstrapEndpoints.ResolveAsync(gateway, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception error) when (error is ArgumentException or System.Net.Sockets.SocketException)
            {
                LogUnresolvable(logger, gateway, error.Message);
            }
        }
        list.Set(endpoints);
        _applied = [.. newest.Gateways.Order(StringComparer.Ordinal)];
        LogFollowing(logger, string.Join(", ", newest.Gateways), newest.MembershipVersion, newest.AnsweredBy);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Gateways now {Gateways} (membership version {Version}, as broker {Broker} sees it)")]
    private static partial void LogFollowing(ILogger logger, string gateways, long version, int broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker registry names gateway '{Gateway}', which this client cannot resolve: {Reason}")]
    private static partial void LogUnresolvable(ILogger logger, string gateway, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not refresh the gateway list")]
    private static partial void LogRefreshFailed(ILogger logger, Exception error);
}
