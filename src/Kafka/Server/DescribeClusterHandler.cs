using Orlog.Kafka.Protocol.Messages;

namespace Orlog.Kafka.Server;

/// <summary>Kafka's DescribeCluster (KIP-700): the cluster id, the controller and every live broker's Kafka endpoint.</summary>
internal static class DescribeClusterHandler
{
    private const sbyte BrokersEndpoint = 1;

    public static DescribeClusterResponse Handle(DescribeClusterRequest request, short version, KafkaClusterView cluster)
    {
        var response = new DescribeClusterResponse { ClusterId = cluster.ClusterId, ControllerId = cluster.ControllerId };
        if (version >= 1 && request.EndpointType != BrokersEndpoint)
        {
            response.ErrorCode = (short)ErrorCode.UnsupportedEndpointType;
            response.ErrorMessage = "Only broker endpoints (1) are described.";
            response.EndpointType = request.EndpointType;
            return response;
        }
        foreach (var broker in cluster.Brokers)
        {
            response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker { BrokerId = broker.Id, Host = broker.Host, Port = broker.Port, Rack = broker.Rack });
        }
        return response;
    }
}
