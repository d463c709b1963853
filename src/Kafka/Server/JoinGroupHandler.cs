using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's classic JoinGroup onto the group coordinator grain. From version 4 (KIP-394) a member without an id
/// gets MEMBER_ID_REQUIRED and its id, and joins again with it; older clients do not know that answer, so for
/// them the broker joins again itself. Version 0 has no rebalance timeout: the session timeout serves, as in Kafka.
/// </summary>
internal static class JoinGroupHandler
{
    public static async Task<JoinGroupResponse> HandleAsync(JoinGroupRequest request, short version, IKafkaBackend backend, KafkaClientInfo client, CancellationToken cancellationToken)
    {
        var join = new KafkaJoin(request.MemberId, request.GroupInstanceId, request.SessionTimeoutMs,
            version >= 1 && request.RebalanceTimeoutMs > 0 ? request.RebalanceTimeoutMs : request.SessionTimeoutMs,
            request.ProtocolType, [.. request.Protocols.Select(p => new KafkaGroupProtocol(p.Name, p.Metadata.ToArray()))],
            client.ClientId, client.Host, request.Reason);
        KafkaJoinResult result;
        try
        {
            result = await backend.Groups.JoinAsync(request.GroupId, join, cancellationToken);
            if (result.Error == ErrorCode.MemberIdRequired && version < 4)
            {
                result = await backend.Groups.JoinAsync(request.GroupId, join with { MemberId = result.MemberId }, cancellationToken);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (code, message) = BackendFailure.Describe(error);
            // A join that outlived the call's timeout: the client joins again, as after any rebalance.
            result = new KafkaJoinResult(code == ErrorCode.RequestTimedOut ? ErrorCode.RebalanceInProgress : code, message, -1, null, null, "", false, request.MemberId, []);
        }
        var response = new JoinGroupResponse
        {
            ErrorCode = (short)result.Error,
            GenerationId = result.GenerationId,
            ProtocolType = version >= 7 ? result.ProtocolType : null,
            ProtocolName = result.ProtocolName ?? (version >= 7 ? null : ""),
            Leader = result.Leader,
            MemberId = result.MemberId,
        };
        foreach (var member in result.Members)
        {
            response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember
            {
                MemberId = member.MemberId,
                GroupInstanceId = version >= 5 ? member.GroupInstanceId : null,
                Metadata = member.Metadata,
            });
        }
        return response;
    }
}
