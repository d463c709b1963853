using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's ListGroups, DescribeGroups and DeleteGroups over the same groups the SDK and the CLI see, whichever
/// protocol their members speak. States filter from version 4 (KIP-518).
/// </summary>
internal static class GroupAdminHandlers
{
    public static async Task<ListGroupsResponse> ListAsync(ListGroupsRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new ListGroupsResponse();
        try
        {
            foreach (var group in await backend.Admin.ListGroupsAsync(cancellationToken))
            {
                if (version >= 4 && request.StatesFilter.Count > 0 && !request.StatesFilter.Contains(group.State, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }
                response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = group.GroupId, ProtocolType = group.ProtocolType, GroupState = version >= 4 ? group.State : "" });
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            response.ErrorCode = (short)BackendFailure.Describe(error).Code;
        }
        return response;
    }

    public static async Task<DescribeGroupsResponse> DescribeAsync(DescribeGroupsRequest request, short version, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new DescribeGroupsResponse();
        foreach (var groupId in request.Groups)
        {
            var described = new DescribeGroupsResponse.DescribedGroup { GroupId = groupId, GroupState = "Dead" };
            response.Groups.Add(described);
            try
            {
                var group = await backend.Admin.DescribeGroupAsync(groupId, cancellationToken);
                described.ErrorCode = (short)group.Error;
                described.GroupState = group.State;
                described.ProtocolType = group.ProtocolType;
                described.ProtocolData = group.ProtocolName;
                foreach (var member in group.Members)
                {
                    described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                    {
                        MemberId = member.MemberId,
                        GroupInstanceId = version >= 4 ? member.GroupInstanceId : null,
                        ClientId = member.ClientId,
                        ClientHost = member.ClientHost,
                        MemberMetadata = member.Metadata,
                        MemberAssignment = member.Assignment,
                    });
                }
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                described.ErrorCode = (short)BackendFailure.Describe(error).Code;
            }
        }
        return response;
    }

    public static async Task<DeleteGroupsResponse> DeleteAsync(DeleteGroupsRequest request, IKafkaBackend backend, CancellationToken cancellationToken)
    {
        var response = new DeleteGroupsResponse();
        foreach (var groupId in request.GroupsNames)
        {
            ErrorCode code;
            try
            {
                code = await backend.Admin.DeleteGroupAsync(groupId, cancellationToken);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                code = BackendFailure.Describe(error).Code;
            }
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = groupId, ErrorCode = (short)code });
        }
        return response;
    }
}
