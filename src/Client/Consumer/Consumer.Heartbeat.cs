using System.Net;
using Microsoft.Extensions.Logging;
using Orlog.Grains;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>
/// One heartbeat of the membership loop: what it sends (KIP-848's ConsumerGroupHeartbeat: every field on a join, then
/// what the member owns and what changed) and what it makes of the answer: the epoch and assignment, fencing, or an
/// error that ends the membership. Under the consumer's lock except the call itself.
/// </summary>
internal sealed partial class Consumer<TKey, TValue>
{
    private static readonly string _clientHost = ClientHostName();

    /// <summary>A join (epoch 0: every field) or a heartbeat (the subscription only when it changed), under the lock.</summary>
    private GroupHeartbeatRequest HeartbeatRequest()
    {
        var subscription = _subscription!;
        var joining = _memberEpoch == 0;
        var sendSubscription = joining || _subscriptionSentVersion != _subscriptionVersion;
        string? regex = null;
        if (sendSubscription)
        {
            // An empty regular expression clears the one sent before.
            regex = subscription.Regex ?? (_regexSent && !joining ? "" : null);
            _regexSent = subscription.Regex is not null;
        }
        _joinSent = true;
        return new GroupHeartbeatRequest(
            _memberId,
            _memberEpoch,
            _settings.GroupInstanceId,
            _settings.MaxPollIntervalMs,
            _settings.SessionTimeoutMs,
            sendSubscription ? subscription.Names : null,
            regex,
            joining ? _settings.GroupRemoteAssignor : null,
            _owned,
            _settings.ClientId,
            _clientHost);
    }

    private GroupHeartbeatRequest LeaveRequest(int epoch) =>
        new(_memberId, epoch, _settings.GroupInstanceId, _settings.MaxPollIntervalMs, _settings.SessionTimeoutMs, null, null, null, null, _settings.ClientId, _clientHost);

    /// <summary>Sends a heartbeat and takes its answer; returns when the next one is due.</summary>
    private async Task<long> HeartbeatAsync(GroupHeartbeatRequest request, int version, int subscriptionVersion, CancellationToken stop)
    {
        GroupHeartbeatResponse? response = null;
        KafkaException? refused = null;
        string? failure = null;
        try
        {
            response = await _group!.Heartbeat(request).WaitAsync(TimeSpan.FromMilliseconds(_settings.RequestTimeoutMs), stop).ConfigureAwait(false);
        }
        catch (KafkaException error)
        {
            // The grain throws only for a bad group id or a group of the other dialect: no retry helps.
            refused = error;
        }
        catch (Exception error) when (error is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            failure = error.Message;
        }
        var now = _client.Clock.NowMs;
        long next;
        TaskCompletionSource answered;
        lock (_lock)
        {
            if (version != _membershipVersion)
            {
                // The membership ended while the request was out (a leave, or fencing): its answer is void.
                next = now;
            }
            else if (refused is not null)
            {
                FailMembership(refused);
                next = now;
            }
            else if (response is null || response.Error.IsRetriable())
            {
                LogHeartbeatFailed(_logger, _settings.GroupId, _memberId, response is null ? failure : $"{response.Error.KafkaName()}: {response.ErrorMessage}");
                // The group may not have seen it: the next heartbeat sends every field again.
                _subscriptionSentVersion = -1;
                next = now + _settings.RetryBackoffMs;
            }
            else if (response.Error == ErrorCode.None)
            {
                AcceptHeartbeat(response, request, subscriptionVersion);
                next = now + (response.HeartbeatIntervalMs > 0 ? response.HeartbeatIntervalMs : _settings.RetryBackoffMs);
            }
            else if (response.Error is ErrorCode.UnknownMemberId or ErrorCode.FencedMemberEpoch)
            {
                LogFenced(_logger, _settings.GroupId, _memberId, response.Error.KafkaName(), _partitions.Count);
                EndMembership();
                _lostPending = _partitions.Count > 0;
                if (_lostPending)
                {
                    SignalGroupEvents();
                }
                else
                {
                    _heartbeatNow = true;
                }
                next = now;
            }
            else
            {
                FailMembership(new KafkaException(response.Error, response.ErrorMessage ?? $"The group '{_settings.GroupId}' refused the heartbeat."));
                next = now;
            }
            answered = _heartbeatAnswered;
            _heartbeatAnswered = NewSignal();
        }
        answered.TrySetResult();
        return next;
    }

    /// <summary>A successful heartbeat (under the lock): the epoch, and the whole assignment when it changed.</summary>
    private void AcceptHeartbeat(GroupHeartbeatResponse response, GroupHeartbeatRequest request, int subscriptionVersion)
    {
        if (!_joined || _memberEpoch == 0)
        {
            LogJoined(_logger, _settings.GroupId, response.MemberId, response.MemberEpoch);
        }
        _joined = true;
        _memberEpoch = response.MemberEpoch;
        if (!string.IsNullOrEmpty(response.MemberId))
        {
            _memberId = response.MemberId;
        }
        if (request.SubscribedTopicNames is not null || request.SubscribedTopicRegex is not null)
        {
            _subscriptionSentVersion = subscriptionVersion;
        }
        if (response.Assignment is { } assignment)
        {
            var target = new HashSet<TopicPartition>(assignment.Count);
            foreach (var partition in assignment)
            {
                target.Add(new TopicPartition(partition.Topic, partition.Partition));
            }
            _target = target;
            foreach (var partition in _prefetched.Keys.ToList())
            {
                if (!target.Contains(partition))
                {
                    _prefetched.Remove(partition);
                }
            }
            SignalGroupEvents();
        }
    }

    /// <summary>The group refused this member for good (under the lock): its partitions are lost; Consume throws the error.</summary>
    private void FailMembership(KafkaException error)
    {
        LogGroupError(_logger, _settings.GroupId, _memberId, error.Message);
        EndMembership();
        _groupError = error;
        _lostPending = _partitions.Count > 0;
        SignalGroupEvents();
    }

    /// <summary>Forgets the membership (under the lock); the partitions stay until the consuming thread lets them go.</summary>
    private void EndMembership()
    {
        _membershipVersion++;
        _memberEpoch = 0;
        _joinSent = false;
        _regexSent = false;
        _subscriptionSentVersion = -1;
        _target = null;
        _prefetched.Clear();
    }

    private static string ClientHostName()
    {
        try
        {
            return Environment.MachineName;
        }
        catch (InvalidOperationException)
        {
            return IPAddress.Loopback.ToString();
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Joined group {GroupId} as member {MemberId} at epoch {Epoch}")]
    private static partial void LogJoined(ILogger logger, string? groupId, string memberId, int epoch);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Heartbeat of member {MemberId} to group {GroupId} failed, retrying: {Error}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string? groupId, string memberId, string? error);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Member {MemberId} of group {GroupId} was fenced ({Error}): its {Count} partitions are lost; it joins again")]
    private static partial void LogFenced(ILogger logger, string? groupId, string memberId, string error, int count);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "Member {MemberId} of group {GroupId} was refused: {Error}")]
    private static partial void LogGroupError(ILogger logger, string? groupId, string memberId, string error);
}
