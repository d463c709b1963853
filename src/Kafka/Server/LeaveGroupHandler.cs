using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's classic LeaveGroup onto the group coordinator grain: one member by id before version 3, a batch of
/// members (by id, or by group instance id with an empty id: KIP-345) from version 3, each with its own code.
/// </summary>
internal static class LeaveGroupHandler
{
    public static async Task<LeaveGroupResponse> HandleAsync(LeaveGroupRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        IReadOnlyList<KafkaLeavingMember> leaving = version >= 3
            ? [.. request.Members.Select(m => new KafkaLeavingMember(m.MemberId, m.GroupInstanceId, m.Reason))]
            : [new KafkaLeavingMember(request.MemberId, null, null)];
        var response = new LeaveGroupResponse();
        try
        {
            var results = await backend.Groups.LeaveAsync(request.GroupId, leaving, cancellationToken);
            if (version < 3)
            {
                response.ErrorCode = (short)(results.Count == 1 ? results[0].Error : ErrorCode.UnknownServerError);
                return response;
            }
            foreach (var result in results)
            {
                response.Members.Add(new LeaveGroupResponse.MemberResponse { MemberId = result.MemberId, GroupInstanceId = result.GroupInstanceId, ErrorCode = (short)result.Error });
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            response.ErrorCode = (short)BackendFailure.Describe(error).Code;
        }
        return response;
    }
}
