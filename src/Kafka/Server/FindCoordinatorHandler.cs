using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>
/// Kafka's FindCoordinator for groups: the broker asked is the coordinator. A group's coordinator is a grain that
/// every broker reaches, so each broker serves every group's requests and clients need not move; the grain's
/// own location is an Orleans detail. Transaction coordinators do not exist yet: COORDINATOR_NOT_AVAILABLE.
/// Version 4 (KIP-699) asks for several keys at once.
/// </summary>
internal static class FindCoordinatorHandler
{
    private const sbyte GroupKey = 0;

    public static FindCoordinatorResponse Handle(FindCoordinatorRequest request, short version, IKafkaBackend backend)
    {
        var self = backend.Cluster.Broker(backend.BrokerId);
        var (code, message) = request.KeyType != GroupKey
            ? (ErrorCode.CoordinatorNotAvailable, "Only group coordinators exist: transactions are not supported yet.")
            : self is null
                ? (ErrorCode.CoordinatorNotAvailable, $"Broker {backend.BrokerId} is not registered with a Kafka listener yet.")
                : (ErrorCode.None, (string?)null);
        var response = new FindCoordinatorResponse();
        if (version < 4)
        {
            response.ErrorCode = (short)code;
            response.ErrorMessage = code == ErrorCode.None ? null : message;
            response.NodeId = code == ErrorCode.None ? self!.Id : -1;
            response.Host = code == ErrorCode.None ? self!.Host : "";
            response.Port = code == ErrorCode.None ? self!.Port : -1;
            return response;
        }
        foreach (var key in request.CoordinatorKeys)
        {
            response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
            {
                Key = key,
                ErrorCode = (short)code,
                ErrorMessage = code == ErrorCode.None ? null : message,
                NodeId = code == ErrorCode.None ? self!.Id : -1,
                Host = code == ErrorCode.None ? self!.Host : "",
                Port = code == ErrorCode.None ? self!.Port : -1,
            });
        }
        return response;
    }
}
