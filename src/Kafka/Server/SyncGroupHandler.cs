using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>Kafka's classic SyncGroup onto the group coordinator grain: the leader's assignments in, each member's own out.</summary>
internal static class SyncGroupHandler
{
    public static async Task<SyncGroupResponse> HandleAsync(SyncGroupRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var sync = new KafkaSync(request.MemberId, request.GenerationId, request.GroupInstanceId, request.ProtocolType, request.ProtocolName,
            [.. request.Assignments.Select(a => new KafkaMemberAssignment(a.MemberId, a.Assignment.ToArray()))]);
        KafkaSyncResult result;
        try
        {
            result = await backend.Groups.SyncAsync(request.GroupId, sync, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (code, message) = BackendFailure.Describe(error);
            result = new KafkaSyncResult(code == ErrorCode.RequestTimedOut ? ErrorCode.RebalanceInProgress : code, message, null, null, []);
        }
        return new SyncGroupResponse
        {
            ErrorCode = (short)result.Error,
            ProtocolType = version >= 5 ? result.ProtocolType : null,
            ProtocolName = version >= 5 ? result.ProtocolName : null,
            Assignment = result.Assignment,
        };
    }
}
