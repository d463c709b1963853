using System.Runtime.ExceptionServices;
using Orlog.Records;

namespace Orlog.Client;

/// <summary>Subscribing to topics as a member of the consumer group group.id, and leaving it.</summary>
internal sealed partial class Consumer<TKey, TValue>
{
    public IReadOnlyList<string> Subscription
    {
        get
        {
            lock (_lock)
            {
                return _subscription?.Given ?? [];
            }
        }
    }

    public string MemberId
    {
        get
        {
            lock (_lock)
            {
                return _joined ? _memberId : "";
            }
        }
    }

    public void Subscribe(IEnumerable<string> topics)
    {
        ObjectDisposedException.ThrowIf(_closed != 0, this);
        var subscription = TopicSubscription.Parse(topics);
        if (_group is null)
        {
            throw new KafkaException(ErrorCode.InvalidGroupId, "Subscribe needs a consumer group: set group.id (or Assign partitions instead).");
        }
        lock (_lock)
        {
            if (_assignedManually)
            {
                throw new InvalidOperationException("Subscribe cannot be used while partitions are assigned with Assign: Subscribe and Assign are exclusive. Call Unassign first.");
            }
            if (_subscription is null)
            {
                // The poll timer (max.poll.interval.ms) starts with the subscription.
                Volatile.Write(ref _lastPollMs, _client.Clock.NowMs);
            }
            _subscription = subscription;
            _subscriptionVersion++;
            _heartbeatNow = true;
            EnsureMembershipLoop();
        }
        _heartbeatWake.Set();
    }

    public void Subscribe(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        Subscribe([topic]);
    }

    public void Unsubscribe()
    {
        ObjectDisposedException.ThrowIf(_closed != 0, this);
        lock (_lock)
        {
            if (_subscription is null)
            {
                return;
            }
        }
        var handlerError = ReleaseAssignment();
        Task.Run(LeaveGroupAsync).GetAwaiter().GetResult();
        if (handlerError is not null)
        {
            ExceptionDispatchInfo.Throw(handlerError);
        }
    }

    /// <summary>Close's part for the group: give the partitions up (committing with enable.auto.commit) and leave.</summary>
    private async Task CloseGroupAsync()
    {
        bool subscribed;
        lock (_lock)
        {
            if (_group is null || _membershipKilled)
            {
                return;
            }
            subscribed = _subscription is not null;
        }
        if (subscribed)
        {
            // At close the handler's exception is logged only (by CallHandler): closing goes on.
            _ = ReleaseAssignment();
            await LeaveGroupAsync().ConfigureAwait(false);
        }
        else if (_settings.EnableAutoCommit)
        {
            try
            {
                await CommitStoredAsync(null, changedOnly: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (KafkaException error)
            {
                LogCommitFailed(_logger, _settings.GroupId, error.Message);
            }
        }
    }
}
