using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>Kafka's classic Heartbeat onto the group coordinator grain.</summary>
internal static class HeartbeatHandler
{
    public static async Task<HeartbeatResponse> HandleAsync(HeartbeatRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        try
        {
            var code = await backend.Groups.HeartbeatAsync(request.GroupId, request.MemberId, request.GenerationId, request.GroupInstanceId, cancellationToken);
            return new HeartbeatResponse { ErrorCode = (short)code };
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HeartbeatResponse { ErrorCode = (short)BackendFailure.Describe(error).Code };
        }
    }
}
